// The voting page's nickname form: saved in place, with what the server said; without
// JavaScript it posts and comes back to the page.

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
    status.textContent = 'Saving…';
    try {
      const response = await fetch(`/api/polls/${encodeURIComponent(pollCode)}/nickname`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ nickname: input.value }),
      });
      const body = (await response.json().catch(() => ({}))) as { nickname?: string; error?: { message: string } };
      if (!response.ok || body.nickname === undefined) throw new Error(body.error?.message ?? 'Not saved.');
      input.value = body.nickname;
      input.removeAttribute('aria-invalid');
      button.textContent = 'Change';
      status.textContent = `Saved: you are ${body.nickname} on the leaderboard.`;
    } catch (error) {
      input.setAttribute('aria-invalid', 'true');
      status.classList.add('error-text');
      // A network failure is a TypeError; any other error carries the server's message.
      status.textContent = error instanceof TypeError ? 'Not saved: try again.' : (error as Error).message;
    } finally {
      button.disabled = false;
    }
  });
}
