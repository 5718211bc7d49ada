import { postPartial, swapIn } from './results-dom.js';

// Presentation clickers send Page Down / Page Up; keyboards the arrows.
const KEYS: Record<string, 'next' | 'previous'> = {
  ArrowRight: 'next',
  PageDown: 'next',
  ArrowLeft: 'previous',
  PageUp: 'previous',
};

/**
 * The presenter's controls (the presenter view, the remote) post in place: the page shows the
 * server's answer without a reload, and the screens follow over the live feed. Without this
 * script they are plain forms.
 */
export function enhanceControls(main: HTMLElement): void {
  let busy = false;
  main.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.action.includes('/control/')) return;
    event.preventDefault();
    // A clicker pressed twice quickly moves twice, one step after the other, never both from one place.
    if (busy) return;
    busy = true;
    void postPartial(form)
      .then(async (response) => {
        // A 4xx answer is the controls again with the reason; a 5xx is no rendering of them.
        if (response.status < 500) {
          swapIn(main, await response.text());
          keepSaid(main);
        }
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  });

  // What the control said stays put while the live feed refreshes the rest of the page.
  function keepSaid(from: HTMLElement) {
    const place = document.getElementById('control-status');
    if (place) place.replaceChildren(...from.querySelectorAll('.notice'));
  }

  document.addEventListener('keydown', (event) => {
    const step = KEYS[event.key];
    if (!step || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    const button = main.querySelector<HTMLButtonElement>(`button[data-step="${step}"]`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.form?.requestSubmit(button);
  });
}
