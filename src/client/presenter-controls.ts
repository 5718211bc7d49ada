import { ask, postPartial, swapIn } from './results-dom.js';

// Presentation clickers send Page Down / Page Up; keyboards the arrows.
const KEYS: Record<string, 'next' | 'previous'> = {
  ArrowRight: 'next',
  PageDown: 'next',
  ArrowLeft: 'previous',
  PageUp: 'previous',
};

/**
 * The presenter's controls (the presenter view, the remote) and the Q&A page's post in place:
 * the page shows the server's answer without a reload, and the screens follow over the live
 * feed. Without this script they are plain forms.
 */
export function enhanceControls(main: HTMLElement): void {
  let busy = false;
  main.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const control = new URL(form.action).pathname.match(/\/(control|qa)\//)?.[1];
    if (!control) return;
    event.preventDefault();
    // One control at a time: a second press while the first is on its way is dropped, so that a
    // clicker's double press never moves two steps from a stale page. Each question of the Q&A page
    // is a control of its own: a moderator going quickly down the list loses none of them.
    if (control === 'control' && busy) return;
    busy ||= control === 'control';
    const latest = ask(main);
    void postPartial(form)
      .then(async (response) => {
        // The control's answer is the controls again, with what it did or why it could not (409,
        // 422); anything else (a session that ended, a server error) is a page of its own.
        if (response.redirected || ![200, 409, 422].includes(response.status)) return location.reload();
        const markup = await response.text();
        if (latest()) {
          swapIn(main, markup);
          return keepSaid(main);
        }
        // A newer refresh came first: only what the control said is still news.
        const answer = document.createElement('template');
        answer.innerHTML = markup;
        keepSaid(answer.content);
      })
      .catch(() => undefined)
      .finally(() => {
        if (control === 'control') busy = false;
      });
  });

  // What the control said stays put while the live feed refreshes the rest of the page.
  function keepSaid(from: ParentNode) {
    const place = document.getElementById('control-status');
    if (place) place.replaceChildren(...from.querySelectorAll('.notice'));
  }

  document.addEventListener('keydown', (event) => {
    const step = KEYS[event.key];
    if (!step || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (event.repeat || event.defaultPrevented) return;
    // Arrow keys in a field (the countdown's length) belong to the field.
    const target = event.target;
    if (target instanceof Element && target.closest('input, textarea, select, [contenteditable]')) return;
    const button = main.querySelector<HTMLButtonElement>(`button[data-step="${step}"]`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.form?.requestSubmit(button);
  });
}
