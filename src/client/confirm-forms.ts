import { CONFIRM_FIELD } from '../views/confirm-views.js';

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
<div class="row"><button value="cancel" autofocus>Cancel</button><button value="confirm" class="danger"></button></div>
</form>`;
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
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    event.preventDefault();
    void ask(form.dataset.confirm, form.dataset.confirmLabel ?? 'Delete').then((confirmed) => {
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
