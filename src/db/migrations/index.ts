import type { Migration } from 'kysely';
import * as initial from './2026-11-21T06-00-initial.js';
import * as quickPolls from './2026-11-21T14-00-quick-polls.js';
import * as fairness from './2026-11-21T20-00-fairness.js';
import * as currentQuestion from './2026-11-22T09-00-current-question.js';
import * as questionOrder from './2026-11-30T01-00-question-order.js';
import * as disabledAccounts from './2026-11-30T02-00-disabled-accounts.js';
import * as settings from './2026-11-30T10-00-settings.js';
import * as questionKinds from './2026-12-07T07-00-question-kinds.js';
import * as kindAnswers from './2026-12-07T12-00-kind-answers.js';
import * as revealAndModeration from './2026-12-07T16-00-reveal-and-moderation.js';
import * as hiddenResults from './2026-12-07T19-00-hidden-results.js';
import * as questionTimers from './2026-12-07T20-00-question-timers.js';
import * as leaderboard from './2026-12-07T22-00-leaderboard.js';
import * as audienceQa from './2026-12-07T23-00-audience-qa.js';
import * as audienceLanguage from './2026-12-08T01-00-audience-language.js';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T06-00-initial': initial,
  '2026-11-21T14-00-quick-polls': quickPolls,
  '2026-11-21T20-00-fairness': fairness,
  '2026-11-22T09-00-current-question': currentQuestion,
  '2026-11-30T01-00-question-order': questionOrder,
  '2026-11-30T02-00-disabled-accounts': disabledAccounts,
  '2026-11-30T10-00-settings': settings,
  '2026-12-07T07-00-question-kinds': questionKinds,
  '2026-12-07T12-00-kind-answers': kindAnswers,
  '2026-12-07T16-00-reveal-and-moderation': revealAndModeration,
  '2026-12-07T19-00-hidden-results': hiddenResults,
  '2026-12-07T20-00-question-timers': questionTimers,
  '2026-12-07T22-00-leaderboard': leaderboard,
  '2026-12-07T23-00-audience-qa': audienceQa,
  '2026-12-08T01-00-audience-language': audienceLanguage,
};
