import { CONFIRM_FIELD } from '../views/confirm-field.js';
import { messagesLoaded, t } from './messages.js';

// Forms that destroy something ask first, in a dialog that says what goes with it. Without
// JavaScript the form posts unconfirmed and the server asks on a page of its own.

let dialog: HTMLDialogElement | undefined;

/** One modal dialog for the page: Cancel has focus, Escape cancels, focus returns where it was. */
function confirmDialog(): HTMLDialogElement {
  if (dialog) return dialog;
  dialog = document.createElement('dialog');
  dialog.className = 'confirm-dialog';
  dialog.setAttribute('aria-labelledby', 'confirm-dialog-text');
  dialog.innerHTML = `<form method="dialog">
<p id="confirm-dialog-text"></p>
<div class="row"><button value="cancel" autofocus></button><button value="confirm" class="danger"></button></div>
</form>`;
  const cancel = dialog.querySelector('button[value="cancel"]');
  if (cancel) cancel.textContent = t('common.cancel');
  document.body.append(dialog);
  return dialog;
}

function ask(message: string, confirmLabel: string): Promise<boolean> {
  const modal = confirmDialog();
  const text = modal.querySelector('p');
  const confirm = modal.querySelector<HTMLButtonElement>('button[value="confirm"]');
  if (text) text.textContent = message;
  if (confirm) confirm.textContent = confirmLabel;
  modal.returnValue = '';
  modal.showModal();
  return new Promise((resolve) => {
    modal.addEventListener('close', () => resolve(modal.returnValue === 'confirm'), { once: true });
  });
}

export function confirmDestructiveForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    const message = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
    if (!(form instanceof HTMLFormElement) || !message) return;
    event.preventDefault();
    void messagesLoaded()
      .then(() => ask(message, form.dataset.confirmLabel ?? t('common.delete')))
      .then((confirmed) => {
        if (!confirmed) return;
        const field = Object.assign(document.createElement('input'), {
          type: 'hidden',
          name: CONFIRM_FIELD,
          value: 'yes',
        });
        form.append(field);
        form.submit();
      });
  });
}
