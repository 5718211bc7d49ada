import type { PollRow } from '../db/database.js';
import { t } from '../i18n/request-language.js';
import { DEFAULT_POLL_CODE } from '../polls/codes.js';
import type { StoredAnswer } from '../polls/kinds/kind.js';
import { quizField } from '../polls/kinds/quiz.js';
import { templatesOf } from '../polls/kinds/templates.js';
import { pollPaths } from '../polls/paths.js';
import type { VoterStanding } from '../polls/standings.js';
import type { Leaderboard, QuestionView } from '../realtime/messages.js';
import { clockTime, formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { joinDetails } from './join-details.js';
import { type KindDraft, kindFields } from './kind-fields.js';
import { layout } from './layout.js';
import { leaderboardBlock, nicknameForm, standingLine } from './leaderboard-views.js';
import { tHtml } from './message-html.js';
import { optionRows } from './option-rows.js';
import { type QaSectionView, qaSection } from './qa-views.js';

/** A question's results, its total below them; the page script updates the figures in place. */
export function resultsBlock(question: QuestionView, mine: StoredAnswer | null = null): SafeHtml {
  const hidden = question.hiddenResults;
  // The audience's copy before the reveal has no counts to draw: only how many answered. With no
  // kind named, the page script moves that total and nothing else.
  if (hidden?.withheld) {
    return html`<section class="results results-withheld" data-question-id="${question.id}" data-version="${question.version}" aria-label="${t('audience.results.label')}">
<p class="withheld-note">${t('audience.results.withheld')}</p>
${total(question.totalVotes)}
</section>`;
  }
  return html`<section class="results" data-question-id="${question.id}" data-kind="${question.kind}" data-version="${question.version}" ${hidden && !hidden.revealed ? 'data-organizer-only' : ''} aria-label="${t('audience.results.label')}">
${hidden && !hidden.revealed ? html`<p class="hidden-note">${t('audience.results.hiddenNote')}</p>` : ''}
${templatesOf(question).results(question, mine)}
${total(question.totalVotes)}
</section>`;
}

// The page script rewrites the word as votes arrive, from the same message.
const total = (votes: number) =>
  html`<p class="total"><span class="total-count">${formatNumber(votes)}</span> <span class="total-word">${t('browser.votesWord', { count: votes })}</span></p>
<p class="visually-hidden" role="status" aria-live="polite" data-announce></p>`;

/** Says that a question shown with its results takes no more votes. */
const votingClosed = () => html`<p class="voting-closed" role="status">${t('audience.vote.closed')}</p>`;

/**
 * How much room a question's text takes on a big screen, from the length of its text: the
 * screens size its type by it, so that even the longest question leaves room for the bars.
 */
function textLength(text: string): 'short' | 'medium' | 'long' | 'longest' {
  const chars = [...text].length;
  if (chars <= 60) return 'short';
  if (chars <= 160) return 'medium';
  if (chars <= 320) return 'long';
  return 'longest';
}

/** A results screen's question: its text and bars, marked when voting on it has closed. */
export function screenQuestion(question: QuestionView): SafeHtml {
  return html`${question.status === 'closed' ? votingClosed() : ''}<h1 class="question-text length-${textLength(question.text)}" dir="auto">${question.text}</h1>
${countdown(question)}${resultsBlock(question)}`;
}

/**
 * A live question's countdown: the time left when the page was made, which the page script
 * counts down from. Without JavaScript it says when the page was made how long was left.
 */
export function countdown(question: QuestionView): SafeHtml | '' {
  if (question.closesInMs === undefined) return '';
  const seconds = Math.ceil(question.closesInMs / 1000);
  return html`<p class="countdown" data-closes-in-ms="${question.closesInMs}">${tHtml('audience.vote.closesIn', { time: html`<span class="countdown-time" role="timer">${clockTime(seconds)}</span>` })}</p>`;
}

export interface VoteView {
  poll: Pick<PollRow, 'code' | 'title' | 'votes_changeable'>;
  question: QuestionView | null;
  /** This voter's answer to the question, if they gave one. */
  answer: StoredAnswer | null;
  /** A message after a failed vote (already voted, closed…). */
  error?: string | undefined;
  /** In a poll with quiz questions: the voter's nickname and, once an answer is revealed, their place. */
  player?: VoterStanding | null;
  /** Why the nickname just sent was refused. */
  nicknameError?: string | undefined;
  /** In a poll that takes questions from the audience: its questions for the speaker. */
  qa?: QaSectionView | null;
}

/** A page with no question to show yet: what it waits for is its heading. */
export function waiting(what: string): SafeHtml {
  return html`<div class="waiting" role="status">
<div class="pulse" aria-hidden="true"></div>
<h1>${what}</h1>
<p class="hint">${t('audience.waiting.hint')}</p>
</div>`;
}

/** The part of the voting page that changes with the current question (also served alone to the page script). */
export function voteMain({ poll, question, answer, error, player }: VoteView): SafeHtml {
  const paths = pollPaths(poll.code);
  if (!question) return waiting(t('audience.waiting.nextQuestion'));
  const standing = player && quizField(question)?.revealed ? standingLine(player) : '';
  if (question.status === 'closed') return html`${closedVote(question, answer, paths.results)}${standing}`;
  const voted = answer !== null;
  const changeable = poll.votes_changeable === 1;
  return html`<h1 class="question-text" dir="auto">${question.text}</h1>
${countdown(question)}
${error ? html`<p class="notice error" role="alert" tabindex="-1" data-focus>${error}</p>` : ''}
${
  voted
    ? html`${error ? '' : html`<p class="notice success" role="status" tabindex="-1" data-focus>${t('audience.vote.recorded')}</p>`}${resultsBlock(question, answer)}
${changeable ? html`<details class="change-vote"><summary>${t('audience.vote.changeSummary')}</summary>${voteForm(paths.vote, question, answer, t('audience.vote.changeButton'))}</details>` : ''}`
    : voteForm(paths.vote, question, null, t('audience.vote.button'))
}${standing}
<p class="secondary-link"><a href="${paths.results}">${t('audience.vote.seeResults')}</a></p>`;
}

/** A question whose voting has closed: its final results (the voter's choice marked), no form. */
function closedVote(question: QuestionView, answer: StoredAnswer | null, resultsPath: string): SafeHtml {
  return html`<h1 class="question-text" dir="auto">${question.text}</h1>
${votingClosed()}${resultsBlock(question, answer)}
<p class="secondary-link"><a href="${resultsPath}">${t('audience.vote.seeResults')}</a></p>`;
}

function voteForm(action: string, question: QuestionView, mine: StoredAnswer | null, label: string): SafeHtml {
  return html`<form method="post" action="${action}" class="vote-form">
<input type="hidden" name="questionId" value="${question.id}">
${templatesOf(question).answerFields(question, mine)}
<button type="submit" class="primary">${label}</button>
</form>`;
}

function liveAttributes(code: string, question: QuestionView | null) {
  return { code, questionId: question?.id ?? '', version: question?.version ?? 0 };
}

export function votePage(view: VoteView): string {
  const live = liveAttributes(view.poll.code, view.question);
  return layout({
    title: view.question ? view.question.text : view.poll.title,
    script: 'vote',
    bodyClass: 'voter',
    participation: Boolean(view.player || view.qa),
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a>${view.poll.code === DEFAULT_POLL_CODE ? '' : html`<span class="code">${tHtml('audience.vote.code', { code: html`<strong>${view.poll.code}</strong>` })}</span>`}</header>
<main id="live" data-poll-code="${live.code}" data-question-id="${live.questionId}" data-version="${live.version}">
${voteMain(view)}
</main>
${view.player ? html`<aside class="player" aria-label="${t('audience.leaderboard.title')}">${nicknameForm(view.poll.code, view.player.nickname, view.nicknameError)}</aside>` : ''}
${view.qa ? html`<div class="player">${qaSection(view.qa)}</div>` : ''}
<p id="connection" class="connection" hidden role="status">${t('audience.connection.reconnecting')}</p>`,
  });
}

export interface ResultsView {
  poll: { code: string; title: string };
  question: QuestionView | null;
  /** The quiz leaderboard, while the screens show it in place of the question. */
  leaderboard: Leaderboard | null;
  /** The address voters open, as the QR code and the screen show it. */
  joinUrl: string;
  /** How many voters have the poll open now. */
  joined: number;
}

/** The results screen's changing part (also served alone to the page script). */
export function resultsMain({ question, leaderboard }: Pick<ResultsView, 'question' | 'leaderboard'>): SafeHtml {
  return screenMain(question, leaderboard, t('audience.results.idle'));
}

/** What a screen shows: the leaderboard while the presenter shows it, else the current question. */
export function screenMain(question: QuestionView | null, leaderboard: Leaderboard | null, idle: string): SafeHtml {
  if (leaderboard?.shown) return leaderboardBlock(leaderboard);
  return question ? screenQuestion(question) : waiting(idle);
}

export function resultsPage(view: ResultsView): string {
  const live = liveAttributes(view.poll.code, view.question);
  return layout({
    title: [t('audience.results.title'), view.question?.text ?? view.poll.title],
    script: 'results',
    bodyClass: 'screen-page',
    // The presenter may show the leaderboard in place of the question at any time.
    participation: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span class="live-dot" aria-hidden="true"></span><span>${t('audience.results.live')}</span></header>
<div class="screen">
<main id="live" data-poll-code="${live.code}" data-question-id="${live.questionId}" data-version="${live.version}">
${resultsMain(view)}
</main>
<aside class="screen-join" aria-label="${t('audience.join.howTo')}">${joinDetails(view.poll, view.joinUrl, view.joined)}</aside>
</div>
<p id="connection" class="connection" hidden role="status">${t('audience.connection.reconnecting')}</p>`,
  });
}

export interface HomeView {
  joinError?: string | undefined;
  /** What was typed into the join form, kept after a failed try. */
  joinCode?: string | undefined;
  notice?: string | undefined;
  /** The quick-poll form as it was posted, when it comes back (an error, or "add option"). */
  create?:
    | ({ question: string; options: string[]; extraRow: boolean; error?: string | undefined } & KindDraft)
    | undefined;
}

export function homePage(view: HomeView = {}): string {
  const create = view.create;
  return layout({
    title: t('audience.home.title'),
    script: 'home',
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">
<h1 class="brand-large">Pollcast</h1>
${view.notice ? html`<p class="notice success" role="status">${view.notice}</p>` : ''}
${joinForm(view.joinError, view.joinCode)}
<form method="post" action="/polls" class="card quick-form" id="create">
<h2>${t('audience.home.createHeading')}</h2>
<p class="hint">${t('audience.home.createHint')}</p>
${create?.error ? html`<p class="notice error" role="alert">${create.error}</p>` : ''}
<label for="quick-question">${t('audience.home.questionLabel')}</label>
<textarea id="quick-question" name="question" rows="2" maxlength="500" required dir="auto">${create?.question ?? ''}</textarea>
${kindFields('quick', create)}
${optionRows(create?.options, create?.extraRow)}
<button type="submit" class="primary">${t('audience.home.createButton')}</button>
</form>
<p class="secondary-link"><a href="/vote">${t('audience.home.mainPollLink')}</a> · <a href="/results">${t('audience.results.live')}</a> · <a href="/admin">${t('audience.home.signIn')}</a></p>
</main>`,
  });
}

/** The join-by-code form; after a failed try it says why and keeps what was typed. */
function joinForm(error?: string, typed?: string): SafeHtml {
  return html`<form method="get" action="/join" class="card join-form">
<label for="code">${t('audience.join.label')}</label>
${error ? html`<p class="notice error" role="alert" id="code-error">${error}</p>` : ''}
<div class="row"><input id="code" name="code" value="${typed ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="16" placeholder="${t('audience.join.placeholder')}" required${error ? html` aria-describedby="code-error" aria-invalid="true"` : ''}>
<button type="submit" class="primary">${t('audience.join.button')}</button></div>
</form>`;
}

/** A page that is not there; for an unknown poll code, the join form holds the code that was tried. */
export function notFoundPage(message = t('audience.notFound.noPoll'), typedCode?: string): string {
  return layout({
    title: t('audience.notFound.title'),
    bodyClass: 'home',
    body: html`<main class="narrow">
<h1>${t('audience.notFound.title')}</h1>
<p class="notice">${message}</p>
${joinForm(undefined, typedCode)}
<p class="secondary-link"><a href="/">${t('audience.nav.home')}</a></p>
</main>`,
  });
}

export function errorPage(title: string, message: string): string {
  return layout({
    title,
    bodyClass: 'home',
    body: html`<main class="narrow"><h1>${title}</h1><p class="notice error">${message}</p><p class="secondary-link"><a href="/">${t('audience.nav.home')}</a></p></main>`,
  });
}
