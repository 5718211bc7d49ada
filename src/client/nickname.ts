import { inPageLanguage, messagesLoaded, t } from './messages.js';

// The voting page's nickname form: saved in place, with what the server said; without
// JavaScript it posts and comes back to the page.

// Stands for the nickname in its sentence, where it goes in a <bdi> of its own: a name written
// right to left (or left to right) keeps its order in a sentence of the other direction.
const NICKNAME = '\uE000';

function showSaved(status: HTMLElement, nickname: string): void {
  const name = document.createElement('bdi');
  name.textContent = nickname;
  const [before = '', after = ''] = t('browser.nickname.saved', { nickname: NICKNAME }).split(NICKNAME);
  status.replaceChildren(before, name, after);
}

export function enhanceNicknameForm(pollCode: string): void {
  const form = document.querySelector<HTMLFormElement>('form.nickname-form');
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>('input[name="nickname"]');
  const button = form.querySelector<HTMLButtonElement>('button');
  const status = form.querySelector<HTMLElement>('[data-nickname-status]');
  if (!input || !button || !status) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.classList.remove('error-text');
    status.textContent = '';
    try {
      // The first save fetches the page's messages.
      await messagesLoaded();
      status.textContent = t('browser.nickname.saving');
      const response = await fetch(`/api/polls/${encodeURIComponent(pollCode)}/nickname`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...inPageLanguage() },
        credentials: 'same-origin',
        body: JSON.stringify({ nickname: input.value }),
      });
      const body = (await response.json().catch(() => ({}))) as { nickname?: string; error?: { message: string } };
      if (!response.ok || body.nickname === undefined)
        throw new Error(body.error?.message ?? t('browser.nickname.notSaved'));
      input.value = body.nickname;
      input.removeAttribute('aria-invalid');
      button.textContent = t('browser.nickname.change');
      showSaved(status, body.nickname);
    } catch (error) {
      input.setAttribute('aria-invalid', 'true');
      status.classList.add('error-text');
      // A network failure is a TypeError; any other error carries the server's message.
      status.textContent = error instanceof TypeError ? t('browser.nickname.retry') : (error as Error).message;
    } finally {
      button.disabled = false;
    }
  });
}
