import { t } from '../i18n/request-language.js';
import { awaitsReveal } from '../polls/kinds/quiz.js';
import type { Pace } from '../polls/pacing.js';
import { pollPaths } from '../polls/paths.js';
import type { Leaderboard, QaItem, QuestionView } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { durationLabel, revealLabel } from './format.js';
import { html, type SafeHtml } from './html.js';
import { joinDetails, joinedCount } from './join-details.js';
import { layout } from './layout.js';
import { leaderboardBlock } from './leaderboard-views.js';
import { tHtml } from './message-html.js';
import { countdown, resultsBlock, screenMain } from './poll-views.js';
import { qaHighlight } from './qa-views.js';

interface PollInfo {
  code: string;
  title: string;
}

/** Which page a control's form returns to. */
export type ControlPage = 'present' | 'remote';

/** The poll's manager at the presenter view or the remote: the controls, and the state they act on. */
export interface Presenter {
  csrf: string;
  pace: Pace;
  /** What the last control said, shown once: a notice, or why it could not be done. */
  notice?: string | undefined;
  error?: string | undefined;
}

export interface PresentView {
  poll: PollInfo;
  question: QuestionView | null;
  /** The quiz leaderboard: shown on the screen in place of the question, or for the controls to offer. */
  leaderboard: Leaderboard | null;
  /** The question from the audience the presenter highlights. */
  highlighted: QaItem | null;
  joinUrl: string;
  /** How many voters have the poll open now. */
  joined: number;
  /** Only for the poll's manager: the controls. */
  presenter?: Presenter | null;
}

const paceLabel = ({ place, count }: Pace) =>
  count === 0
    ? t('organizer.presenter.noQuestions')
    : place === null
      ? t('organizer.presenter.noneShown', { count })
      : t('organizer.presenter.place', { place, count });

/**
 * The controls of the presenter view and the remote: plain forms, so they work without
 * JavaScript; with it they post in place, and a clicker's keys press next and previous.
 */
function controls(
  code: string,
  { question, leaderboard }: { question: QuestionView | null; leaderboard: Leaderboard | null },
  presenter: Presenter,
  back: ControlPage,
): SafeHtml {
  const action = (name: string, label: string, extra: SafeHtml | string = '') =>
    html`<form method="post" action="/p/${code}/control/${name}" class="inline-form">${csrfField(presenter.csrf)}<input type="hidden" name="back" value="${back}"><button type="submit" ${extra}>${label}</button></form>`;
  const step = (name: 'previous' | 'next', label: string, key: string) =>
    action(
      name,
      label,
      html`data-step="${name}" aria-keyshortcuts="${key}" class="${name === 'next' ? 'primary step' : 'step'}" ${presenter.pace[name] ? '' : 'disabled'}`,
    );
  return html`<div class="control-buttons">
${step('previous', t('organizer.presenter.previous'), 'ArrowLeft PageUp')}
${step('next', t('organizer.presenter.next'), 'ArrowRight PageDown')}
${question?.status === 'live' ? action('close', t('organizer.presenter.closeVoting')) : question ? action('reopen', t('organizer.presenter.reopenVoting')) : ''}
${question?.status === 'live' ? timerControl(code, question, presenter, back) : ''}
${question && awaitsReveal(question) ? action('reveal', revealLabel(question)) : ''}
${leaderboard?.shown ? action('hide-leaderboard', t('organizer.presenter.backToQuestion')) : leaderboard && leaderboard.players > 0 ? action('leaderboard', t('organizer.presenter.showLeaderboard')) : ''}
</div>`;
}

/** The lengths a presenter picks a countdown from; a question's own time limit is offered first. */
const TIMER_CHOICES = [15, 30, 60, 120, 300];

function timerControl(code: string, question: QuestionView, presenter: Presenter, back: ControlPage): SafeHtml {
  const form = (name: string, fields: SafeHtml | string, label: string) =>
    html`<form method="post" action="/p/${code}/control/${name}" class="inline-form timer-form">${csrfField(presenter.csrf)}<input type="hidden" name="back" value="${back}">${fields}<button type="submit">${label}</button></form>`;
  if (question.closesAt) return form('stop-timer', '', t('organizer.presenter.stopCountdown'));
  const preferred = question.timeLimitSec ?? 30;
  const choices = [...new Set([preferred, ...TIMER_CHOICES])].sort((a, b) => a - b);
  const id = `timer-seconds-${back}`;
  return form(
    'timer',
    html`<label for="${id}" class="visually-hidden">${t('organizer.presenter.countdownLength')}</label><select id="${id}" name="seconds">${choices.map((seconds) => html`<option value="${seconds}" ${seconds === preferred ? 'selected' : ''}>${durationLabel(seconds)}</option>`)}</select>`,
    t('organizer.presenter.startCountdown'),
  );
}

const messages = (presenter: Presenter) =>
  html`${presenter.error ? html`<p class="notice error" role="alert">${presenter.error}</p>` : ''}${presenter.notice ? html`<p class="notice success" role="status">${presenter.notice}</p>` : ''}`;

/** The presenter's changing part: the current question and its bars (also served alone to the page script). */
export function presentMain({ poll, question, leaderboard, highlighted, presenter }: PresentView): SafeHtml {
  const shown = html`${screenMain(question, leaderboard, t('organizer.presenter.waiting'))}${qaHighlight(highlighted)}`;
  if (!presenter) return shown;
  return html`${messages(presenter)}${shown}
<nav class="presenter-controls" aria-label="${t('organizer.presenter.controls')}"><span class="pace">${paceLabel(presenter.pace)}</span>
${controls(poll.code, { question, leaderboard }, presenter, 'present')}</nav>`;
}

export function presentPage(view: PresentView): string {
  return layout({
    title: [t('organizer.presenter.pageTitle'), view.poll.title],
    script: 'results',
    bodyClass: 'present-page',
    participation: true,
    organizer: Boolean(view.presenter),
    body: html`<div class="present screen">
<main id="live" data-poll-code="${view.poll.code}" data-question-id="${view.question?.id ?? ''}" data-version="${view.question?.version ?? 0}">
${presentMain(view)}
</main>
<aside class="screen-join" aria-label="${t('organizer.presenter.howToJoin')}">${joinDetails(view.poll, view.joinUrl, view.joined)}
<button type="button" class="fullscreen link" hidden>${t('organizer.presenter.fullScreen')}</button></aside>
</div>
<p id="connection" class="connection" hidden role="status">${t('organizer.presenter.reconnecting')}</p>`,
  });
}

export interface RemoteView {
  poll: PollInfo;
  question: QuestionView | null;
  leaderboard: Leaderboard | null;
  presenter: Presenter;
  joined: number;
}

/** The remote's changing part: where the poll stands, the controls, the live counts and what comes next. */
export function remoteMain({ poll, question, leaderboard, presenter }: RemoteView): SafeHtml {
  const { next } = presenter.pace;
  const status = question
    ? html`<span class="badge ${question.status === 'live' ? 'badge-live' : ''}">${question.status === 'live' ? t('organizer.remote.votingOpen') : t('organizer.remote.votingClosed')}</span>`
    : '';
  return html`${messages(presenter)}<p class="pace">${paceLabel(presenter.pace)} ${status}</p>
${question ? html`<h1 class="question-text" dir="auto">${question.text}</h1>${countdown(question)}` : html`<h1>${t('organizer.remote.noQuestion')}</h1>`}
<nav class="remote-controls" aria-label="${t('organizer.presenter.controls')}">${controls(poll.code, { question, leaderboard }, presenter, 'remote')}</nav>
${leaderboard?.shown ? leaderboardBlock(leaderboard, { within: true }) : question ? resultsBlock(question) : ''}
<p class="up-next">${next ? tHtml('organizer.remote.next', { question: html`<strong dir="auto">${next.text}</strong>` }) : presenter.pace.count > 0 ? t('organizer.remote.lastQuestion') : ''}</p>`;
}

export function remotePage(view: RemoteView): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: [t('organizer.remote.pageTitle'), view.poll.title],
    script: 'results',
    bodyClass: 'remote-page',
    participation: true,
    organizer: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>${tHtml('organizer.remote.heading', { title: html`<strong dir="auto">${view.poll.title}</strong>` })}</span></header>
<main>
<div id="control-status"></div>
${joinedCount(view.joined)}
<div id="live" data-poll-code="${view.poll.code}" data-question-id="${view.question?.id ?? ''}" data-version="${view.question?.version ?? 0}">
${remoteMain(view)}
</div>
</main>
<nav class="secondary-link centered" aria-label="${t('organizer.remote.pollPages')}"><a href="${paths.present}">${t('organizer.remote.presenterView')}</a> · <a href="${paths.results}">${t('organizer.remote.liveResults')}</a> · <a href="${paths.moderate}">${t('organizer.poll.audienceQa')}</a> · <a href="${paths.share}">${t('organizer.poll.share')}</a></nav>
<p id="connection" class="connection" hidden role="status">${t('organizer.presenter.reconnecting')}</p>`,
  });
}
