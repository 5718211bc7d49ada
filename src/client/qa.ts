import type { QaItem, QaMessage } from '../realtime/messages.js';
import { inPageLanguage, messagesLoaded, t } from './messages.js';
import { formatNumber } from './numbers.js';

// The voting page's questions for the speaker: asked and upvoted in place, and kept in order as
// other phones ask and upvote (live `qa` messages carry only what changed). Without this script
// the forms post and the page comes back.

interface UpvoteAnswer extends QaItem {
  upvoted: boolean;
}
interface ErrorAnswer {
  error?: { message: string };
}

const api = (code: string) => `/api/polls/${encodeURIComponent(code)}/qa`;

async function send<T>(url: string, method: string, body?: object): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...inPageLanguage(),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    credentials: 'same-origin',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const answer = (await response.json().catch(() => ({}))) as T & ErrorAnswer;
  if (!response.ok) throw new Error(answer.error?.message ?? t('browser.qa.notSent'));
  return answer;
}

/** A question's entry, made from the page's template when it arrives live. */
function itemElement(section: HTMLElement, item: QaItem): HTMLElement | null {
  const existing = section.querySelector<HTMLElement>(`.qa-item[data-qa-id="${item.id}"]`);
  if (existing) return existing;
  const template = section.querySelector<HTMLTemplateElement>('#qa-item-template');
  const made = template?.content.firstElementChild?.cloneNode(true);
  if (!(made instanceof HTMLElement)) return null;
  const code = section.dataset.pollCode ?? '';
  made.dataset.qaId = String(item.id);
  const text = made.querySelector('.qa-text');
  if (text) text.id = `qa-text-${item.id}`;
  made.querySelector('form')?.setAttribute('action', `/p/${code}/qa/${item.id}/upvote`);
  made.querySelector('button')?.setAttribute('aria-describedby', `qa-text-${item.id}`);
  section.querySelector('.qa-list')?.append(made);
  return made;
}

/** Shows an entry as it is now; the page's messages are loaded. */
function show(section: HTMLElement, item: QaItem, upvoted?: boolean): void {
  const element = itemElement(section, item);
  if (!element) return;
  element.dataset.upvotes = String(item.upvotes);
  setText(element.querySelector('.qa-text'), item.text);
  setText(element.querySelector('.qa-name'), item.name ?? t('browser.qa.anonymous'));
  setText(element.querySelector('.qa-count'), formatNumber(item.upvotes));
  setText(element.querySelector('.qa-count-word'), t('browser.qa.upvotesWord', { count: item.upvotes }));
  const answered = element.querySelector<HTMLElement>('.qa-answered');
  if (answered) answered.hidden = !item.answered;
  if (upvoted !== undefined) element.querySelector('button')?.setAttribute('aria-pressed', String(upvoted));
}

function setText(element: Element | null, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

/** Most upvoted first (the newer first among equals), or newest first, as the page was asked. */
function reorder(section: HTMLElement): void {
  const list = section.querySelector('.qa-list');
  if (!list) return;
  const byVotes = section.dataset.sort !== 'newest';
  const key = (element: HTMLElement) => [Number(element.dataset.upvotes), Number(element.dataset.qaId)] as const;
  const items = [...list.querySelectorAll<HTMLElement>(':scope > .qa-item')];
  const sorted = [...items].sort((a, b) => {
    const [votesA, idA] = key(a);
    const [votesB, idB] = key(b);
    return (byVotes ? votesB - votesA : 0) || idB - idA;
  });
  // Moved only when the order changed: a button in use keeps its place and its focus otherwise.
  if (sorted.some((element, i) => element !== items[i])) list.append(...sorted);
  const empty = section.querySelector<HTMLElement>('.qa-empty');
  if (empty) empty.hidden = sorted.length > 0;
}

/**
 * Applies what changed, as a live message says, once the page's messages are here (the first
 * change fetches them); messages applied one after another stay in order.
 */
export async function applyQa(message: QaMessage): Promise<void> {
  const section = document.getElementById('qa');
  // Opened or closed meanwhile: the page as it is now has the right form. Not every phone of the
  // room at the same moment.
  if (message.settings.open !== (section?.dataset.open === 'yes')) {
    window.setTimeout(() => location.reload(), Math.random() * 3000);
    return;
  }
  if (!section) return;
  await messagesLoaded();
  for (const item of message.items) show(section, item);
  for (const id of message.removed) section.querySelector(`.qa-item[data-qa-id="${id}"]`)?.remove();
  reorder(section);
}

export function enhanceQa(): void {
  const section = document.getElementById('qa');
  if (!section) return;
  const code = section.dataset.pollCode ?? '';
  const status = section.querySelector<HTMLElement>('[data-qa-status]');

  section.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      // The first question or upvote fetches the page's messages.
      await messagesLoaded();
      if (form.classList.contains('qa-ask')) {
        const field = (name: string) => form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
        const name = field('name')?.value.trim();
        const item = await send<QaItem>(api(code), 'POST', {
          text: field('text')?.value ?? '',
          ...(name ? { name } : {}),
        });
        form.reset();
        if (item.status === 'approved') {
          show(section, item, false);
          reorder(section);
        }
        setText(status, item.status === 'approved' ? t('browser.qa.sentListed') : t('browser.qa.sentPending'));
      } else if (form.classList.contains('qa-upvote')) {
        const id = form.closest<HTMLElement>('.qa-item')?.dataset.qaId;
        const up = button?.getAttribute('aria-pressed') !== 'true';
        const item = await send<UpvoteAnswer>(`${api(code)}/${id}/upvote`, up ? 'POST' : 'DELETE');
        show(section, item, item.upvoted);
        reorder(section);
      }
    } catch (error) {
      setText(status, error instanceof TypeError ? t('browser.qa.notSent') : (error as Error).message);
    } finally {
      if (button) button.disabled = false;
    }
  });
}
