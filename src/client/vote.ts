import { followPoll } from './live-client.js';
import { applyResults, refreshPartial, showConnection, syncDataset } from './results-dom.js';

// The voting page: votes in place, shows the results as they move, follows the live question.

const main = document.getElementById('live');
if (main) {
  const pollCode = main.dataset.pollCode ?? 'default';

  // Re-rendering keeps an answer the voter had picked but not yet sent.
  const refresh = async () => {
    const picked = main.querySelector<HTMLInputElement>('input[name="optionId"]:checked')?.value;
    await refreshPartial(main);
    if (picked) {
      const again = main.querySelector<HTMLInputElement>(`input[name="optionId"][value="${CSS.escape(picked)}"]`);
      if (again) again.checked = true;
    }
  };

  main.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('vote-form')) return;
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) {
      button.disabled = true;
      button.textContent = 'Sending…';
    }
    try {
      const response = await fetch(`${form.action}?partial=1`, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(String(response.status));
      main.innerHTML = await response.text();
      syncDataset(main);
      // The button that had focus is gone: the outcome takes it, so that a screen reader says it.
      main.querySelector<HTMLElement>('[data-focus]')?.focus();
    } catch {
      // Offline or the server restarting: the plain form post still works.
      form.submit();
    }
  });

  followPoll(pollCode, {
    question(question, kind) {
      const shownId = Number(main.dataset.questionId || 0);
      const shownVersion = Number(main.dataset.version || 0);
      const changed = (question?.id ?? 0) !== shownId;
      if (kind === 'question' || changed || (question && question.version > shownVersion)) void refresh();
    },
    results(message) {
      applyResults(main, message);
    },
    connection: showConnection,
  });
}
