import { browserOf } from '../polls/kinds/browser.js';
import type { ResultsMessage } from '../realtime/messages.js';
import { messagesLoaded, t } from './messages.js';
import { formatNumber } from './numbers.js';

const ANNOUNCE_EVERY_MS = 5_000;
const lastAnnounced = new WeakMap<Element, number>();

/** Updates the figures of a results block in place (no reload, no re-render), as its kind of question draws them. */
export function applyResults(root: ParentNode, message: ResultsMessage): void {
  const block = root.querySelector<HTMLElement>(`.results[data-question-id="${message.questionId}"]`);
  if (!block) return;
  block.dataset.version = String(message.version);
  void browserOf(block.dataset.kind)?.then((browser) => browser.applyCounts(block, message, setText));
  const count = message.totalVotes;
  setText(block.querySelector('.total-count'), formatNumber(count));
  // Screen readers hear the total now and then, not every vote.
  const now = Date.now();
  const announcer =
    now - (lastAnnounced.get(block) ?? 0) > ANNOUNCE_EVERY_MS ? block.querySelector('[data-announce]') : null;
  if (announcer) lastAnnounced.set(block, now);
  // The words, once the page's messages are here (fetched by the first message that needs them);
  // messages applied one after another stay in order: they wait on one promise.
  void messagesLoaded().then(() => {
    setText(block.querySelector('.total-word'), t('browser.votesWord', { count }));
    if (announcer) announcer.textContent = t('browser.votesSoFar', { count });
  });
}

/**
 * Whether the page shows this question's results to its organizer while the audience sees only
 * how many answered: live messages carry no counts for it, so the page fetches them instead.
 */
export const countsNotInMessages = (root: ParentNode, message: ResultsMessage): boolean =>
  root.querySelector(`.results[data-question-id="${message.questionId}"][data-organizer-only]`) !== null;

/** `task`, run at most once a second however often it is asked for; the last ask is always honoured. */
export function atMostEverySecond(task: () => unknown): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = 0;
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        lastRun = Date.now();
        void task();
      },
      Math.max(0, lastRun + 1000 - Date.now()),
    );
  };
}

function setText(element: Element | null, text: string) {
  if (element && element.textContent !== text) element.textContent = text;
}

// Answers can arrive out of order (a refresh started before a control's post ends after it): only
// the one asked for last is shown.
const lastAsked = new WeakMap<HTMLElement, number>();
let asked = 0;
/** Marks a request for the live region's content; says later whether it is still the latest. */
export function ask(main: HTMLElement): () => boolean {
  const number = ++asked;
  lastAsked.set(main, number);
  return () => lastAsked.get(main) === number;
}

/** Replaces the live region with the server's rendering of the current state. */
export async function refreshPartial(main: HTMLElement, url = `${location.pathname}?partial=1`): Promise<void> {
  const latest = ask(main);
  const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  // Sent elsewhere (a session that ended: the sign-in page): go there rather than show it inside this page.
  if (response.redirected) return location.assign(response.url);
  if (!response.ok) return;
  const markup = await response.text();
  if (latest()) swapIn(main, markup);
}

/**
 * Replaces only the results block with the server's, as its organizer sees them: the controls
 * around it, and a field the organizer is using, stay as they are.
 */
export async function refreshResults(main: HTMLElement, url = `${location.pathname}?partial=1`): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok || response.redirected) return;
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = (page.getElementById(main.id) ?? page).querySelector<HTMLElement>('.results');
  const shown = main.querySelector<HTMLElement>('.results');
  if (!fresh || !shown || fresh.dataset.questionId !== shown.dataset.questionId) return;
  if (Number(fresh.dataset.version) >= Number(shown.dataset.version)) shown.replaceWith(fresh);
}

/** Posts a page's form from its script: the server answers with the live region's new content (`?partial=1`). */
export function postPartial(form: HTMLFormElement): Promise<Response> {
  return fetch(`${form.action}?partial=1`, {
    method: 'POST',
    body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
    headers: { accept: 'text/html' },
    credentials: 'same-origin',
  });
}

/** Puts the server's rendering of the live region in place. */
export function swapIn(main: HTMLElement, markup: string): void {
  main.innerHTML = markup;
  syncDataset(main);
  followCountdowns(main);
}

/** Counts down the live region's countdown, once one shows: the script that does it is fetched then. */
export function followCountdowns(main: HTMLElement): void {
  if (!main.querySelector('.countdown')) return;
  void import(new URL('countdown.js', import.meta.url).href).then((module: typeof import('./countdown.js')) =>
    module.runCountdowns(main),
  );
}

/** Keeps the live region's attributes in step with the results block it now holds. */
export function syncDataset(main: HTMLElement): void {
  const block = main.querySelector<HTMLElement>('.results');
  const form = main.querySelector<HTMLInputElement>('input[name="questionId"]');
  main.dataset.questionId = block?.dataset.questionId ?? form?.value ?? '';
  main.dataset.version = block?.dataset.version ?? main.dataset.version ?? '0';
}

/** Shows how many voters have the poll open now, wherever the page says it. */
export function showJoined(joined: number): void {
  for (const figure of document.querySelectorAll('[data-joined]')) setText(figure, formatNumber(joined));
}

export function showConnection(connected: boolean): void {
  const banner = document.getElementById('connection');
  if (banner) banner.hidden = connected;
}
