import { followPoll } from './live-client.js';
import { applyResults, refreshPartial, showConnection } from './results-dom.js';

// The results screen: figures and bars move as votes arrive; it follows the next question.

const main = document.getElementById('live');
if (main) {
  followPoll(main.dataset.pollCode ?? 'default', {
    question(question, kind) {
      const changed = (question?.id ?? 0) !== Number(main.dataset.questionId || 0);
      if (kind === 'question' || changed || (question && question.version > Number(main.dataset.version || 0))) {
        void refreshPartial(main);
      }
    },
    results(message) {
      applyResults(main, message);
    },
    connection: showConnection,
  });
}
