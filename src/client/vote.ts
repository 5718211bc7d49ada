import { followPoll } from './live-client.js';
import { messagesLoaded, t } from './messages.js';
import { applyResults, followCountdowns, postPartial, refreshPartial, showConnection, swapIn } from './results-dom.js';

// The voting page: votes in place, shows the results as they move, follows the live question.

/** A ranking's form becomes a list to reorder; its script is fetched only for a ranking. */
function enhanceForms(root: HTMLElement): void {
  if (root.querySelector('[data-ranking]:not([data-enhanced])')) {
    void import(new URL('ranking-list.js', import.meta.url).href).then((module: typeof import('./ranking-list.js')) =>
      module.enhanceRankings(root),
    );
  }
}

/** Once as many boxes as allowed are ticked, the others wait until one is unticked. */
function limitPicks(root: HTMLElement): void {
  for (const group of root.querySelectorAll<HTMLElement>('[data-max-choices]')) {
    const boxes = [...group.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    const full = boxes.filter((box) => box.checked).length >= Number(group.dataset.maxChoices);
    for (const box of boxes) box.disabled = full && !box.checked;
  }
}

const main = document.getElementById('live');
if (main) {
  const pollCode = main.dataset.pollCode ?? 'default';
  followCountdowns(main);
  // A quiz's nickname and questions for the speaker: their script is fetched only where they show.
  const participation = (): Promise<typeof import('./participation.js')> =>
    import(new URL('participation.js', import.meta.url).href);
  const extras = document.querySelector('.player')
    ? participation().then((module) => {
        module.enhanceParticipation(pollCode);
        return module;
      })
    : null;

  // Re-rendering keeps the answers the voter had picked but not yet sent.
  const refresh = async () => {
    const picked = [...main.querySelectorAll<HTMLInputElement>('.vote-form input:checked')].map(
      (input) => `input[name="${CSS.escape(input.name)}"][value="${CSS.escape(input.value)}"]`,
    );
    await refreshPartial(main);
    for (const selector of picked) {
      const again = main.querySelector<HTMLInputElement>(selector);
      if (again) again.checked = true;
    }
    limitPicks(main);
    enhanceForms(main);
  };

  // A multiple-choice form lets no more boxes be ticked than the question allows; the server checks it too.
  main.addEventListener('change', () => limitPicks(main));
  limitPicks(main);
  enhanceForms(main);

  main.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('vote-form')) return;
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) {
      button.disabled = true;
      // The page's words are fetched on the first vote, not with the page: the vote does not wait for them.
      void messagesLoaded().then(() => {
        button.textContent = t('browser.sending');
      });
    }
    try {
      const response = await postPartial(form);
      if (!response.ok) throw new Error(String(response.status));
      swapIn(main, await response.text());
      limitPicks(main);
      enhanceForms(main);
      // The button that had focus is gone: the outcome takes it, so that a screen reader says it.
      main.querySelector<HTMLElement>('[data-focus]')?.focus();
    } catch {
      // Offline or the server restarting: the plain form post still works.
      form.submit();
    }
  });

  followPoll(
    pollCode,
    {
      question(question, kind) {
        const shownId = Number(main.dataset.questionId || 0);
        const shownVersion = Number(main.dataset.version || 0);
        const changed = (question?.id ?? 0) !== shownId;
        if (kind === 'question' || changed || (question && question.version > shownVersion)) void refresh();
      },
      results(message) {
        applyResults(main, message);
      },
      qa(message) {
        void (extras ?? participation()).then((module) => module.applyQa(message));
      },
      connection: showConnection,
    },
    { asVoter: true },
  );
}
