import { messagesLoaded, t } from './messages.js';

// The share page: copy buttons for the join link and the manage link.

async function copy(input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // No clipboard API (plain http on a LAN): select the text so that the user can copy it.
    input.focus();
    input.select();
    return false;
  }
}

const status = document.querySelector('.copy-status');
for (const button of document.querySelectorAll<HTMLButtonElement>('button.copy')) {
  button.addEventListener('click', async () => {
    const input = document.getElementById(button.dataset.copy ?? '') as HTMLInputElement | null;
    if (!input) return;
    const copied = await copy(input);
    await messagesLoaded();
    const label = button.textContent;
    if (copied) {
      button.textContent = t('browser.share.copied');
      window.setTimeout(() => {
        button.textContent = label;
      }, 2000);
    }
    if (status) status.textContent = copied ? t('browser.share.copiedStatus') : t('browser.share.selected');
  });
}
