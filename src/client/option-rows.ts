import { messagesLoaded, t } from './messages.js';

// Answer option rows: add and remove in place, and the server's rules checked before sending.

function renumber(container: HTMLElement) {
  const rows = [...container.querySelectorAll<HTMLElement>('.option-row')];
  const min = Number(container.dataset.min ?? 2);
  const max = Number(container.dataset.max ?? 20);
  rows.forEach((row, i) => {
    const input = row.querySelector('input');
    const label = row.querySelector('label');
    const remove = row.querySelector<HTMLButtonElement>('.remove-option');
    if (input) {
      input.id = `option-${i}`;
      input.required = i < min;
    }
    if (label) label.htmlFor = `option-${i}`;
    if (remove) remove.hidden = rows.length <= min;
  });
  const add = container.querySelector<HTMLButtonElement>('.add-option');
  if (add) add.hidden = rows.length >= max;
}

/**
 * After a row came or went: the rows renumbered, and their words once the page's messages are
 * here (the first change fetches them). The server's rows come with their words.
 */
function rowsChanged(container: HTMLElement) {
  renumber(container);
  void messagesLoaded().then(() => relabel(container));
}

/** Each row's label, placeholder and remove button say its number, as they stand now. */
function relabel(container: HTMLElement) {
  container.querySelectorAll<HTMLElement>('.option-row').forEach((row, i) => {
    const number = i + 1;
    const input = row.querySelector('input');
    if (input) input.placeholder = t('browser.options.label', { number });
    const label = row.querySelector('label');
    if (label) label.textContent = t('browser.options.label', { number });
    row.querySelector('.remove-option')?.setAttribute('aria-label', t('browser.options.remove', { number }));
  });
}

/**
 * The same rules as the server's (polls/rules.ts), so that the message comes before the round trip:
 * what is wrong, said once the page's messages are here.
 */
function problemWith(container: HTMLElement): (() => string) | null {
  const min = Number(container.dataset.min ?? 2);
  const max = Number(container.dataset.max ?? 20);
  const options = [...container.querySelectorAll<HTMLInputElement>('.option-row input')]
    .map((input) => input.value.trim())
    .filter(Boolean);
  if (options.length < min || options.length > max) return () => t('browser.options.count', { min, max });
  if (new Set(options.map((option) => option.toLowerCase())).size !== options.length) {
    return () => t('browser.options.duplicate');
  }
  return null;
}

export function enhanceOptionRows(form: HTMLFormElement): void {
  const container = form.querySelector<HTMLElement>('.option-rows');
  if (!container) return;
  const error = container.querySelector<HTMLElement>('.form-error');
  renumber(container);

  container.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    if (target.closest('.add-option')) {
      event.preventDefault();
      const rows = container.querySelectorAll<HTMLElement>('.option-row');
      const last = rows[rows.length - 1];
      if (!last) return;
      const row = last.cloneNode(true) as HTMLElement;
      const input = row.querySelector('input');
      if (input) input.value = '';
      last.after(row);
      rowsChanged(container);
      input?.focus();
    }
    const remove = target.closest('.remove-option');
    if (remove) {
      const row = remove.closest('.option-row');
      const next =
        row?.nextElementSibling?.querySelector('input') ?? row?.previousElementSibling?.querySelector('input');
      row?.remove();
      rowsChanged(container);
      (next as HTMLInputElement | null | undefined)?.focus();
    }
  });

  form.addEventListener('submit', (event) => {
    const submitter = (event as SubmitEvent).submitter;
    // Rows of a kind without options are disabled: not the form's to check.
    if (submitter?.classList.contains('add-option') || (container as HTMLFieldSetElement).disabled) return;
    const problem = problemWith(container);
    if (error) {
      error.hidden = !problem;
      error.textContent = '';
      if (problem) {
        void messagesLoaded().then(() => {
          error.textContent = problem();
        });
      }
    }
    if (problem) event.preventDefault();
  });
}
