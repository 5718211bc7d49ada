import { confirmDestructiveForms } from './confirm-forms.js';
import { followPoll } from './live-client.js';
import { enhanceControls } from './presenter-controls.js';
import {
  applyResults,
  atMostEverySecond,
  countsNotInMessages,
  followCountdowns,
  refreshPartial,
  refreshResults,
  showConnection,
  showJoined,
} from './results-dom.js';

// The results, presenter, remote and manage screens: figures and bars move as votes arrive; they
// follow the poll to its next question. The organizer's Q&A page follows the audience's questions.

const main = document.getElementById('live');
if (main?.dataset.qaModeration !== undefined) {
  // The organizer's Q&A page lists every question from the audience: it follows those alone.
  const refresh = atMostEverySecond(() => refreshPartial(main));
  let connected = false;
  followPoll(main.dataset.pollCode ?? 'default', {
    // Back after a lost connection: what changed meanwhile was not heard.
    question(_question, kind) {
      if (kind === 'snapshot' && connected) refresh();
      connected = true;
    },
    results() {},
    qa: refresh,
    connection: showConnection,
  });
  enhanceControls(main);
} else if (main) {
  followCountdowns(main);
  const refreshCounts = atMostEverySecond(() => refreshResults(main));
  followPoll(main.dataset.pollCode ?? 'default', {
    question(question, kind) {
      const changed = (question?.id ?? 0) !== Number(main.dataset.questionId || 0);
      if (kind === 'question' || changed || (question && question.version > Number(main.dataset.version || 0))) {
        void refreshPartial(main);
      }
    },
    results(message) {
      if (countsNotInMessages(main, message)) refreshCounts();
      else applyResults(main, message);
    },
    audience: showJoined,
    // The presenter view shows the question from the audience the organizer highlights.
    qa(message) {
      const shown = main.querySelector<HTMLElement>('.qa-highlight')?.dataset.qaId;
      const highlighted = message.highlighted === null ? undefined : String(message.highlighted);
      if (shown !== highlighted || message.items.some((item) => String(item.id) === shown)) void refreshPartial(main);
    },
    // A snapshot after a reconnect says whether the leaderboard came or went meanwhile.
    leaderboard(shown, kind) {
      if (kind === 'leaderboard' || shown !== (main.querySelector('.leaderboard') !== null)) void refreshPartial(main);
    },
    connection: showConnection,
  });
  enhanceControls(main);
}

confirmDestructiveForms();

// The presenter view fills the screen on a click or the F key.
const fullscreen = document.querySelector<HTMLButtonElement>('button.fullscreen');
if (fullscreen && document.fullscreenEnabled) {
  const toggle = () =>
    document.fullscreenElement ? void document.exitFullscreen() : void document.documentElement.requestFullscreen();
  fullscreen.hidden = false;
  fullscreen.addEventListener('click', toggle);
  document.addEventListener('keydown', (event) => {
    if (event.key.toLowerCase() === 'f' && !event.ctrlKey && !event.metaKey && !event.altKey) toggle();
  });
}
