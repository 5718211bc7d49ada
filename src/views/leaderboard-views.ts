import { t } from '../i18n/request-language.js';
import { pollPaths } from '../polls/paths.js';
import { MAX_NICKNAME_CHARS } from '../polls/schemas.js';
import type { VoterStanding } from '../polls/standings.js';
import type { Leaderboard } from '../realtime/messages.js';
import { ordinal, pointsLabel } from './format.js';
import { html, type SafeHtml } from './html.js';
import { tHtml } from './message-html.js';

/**
 * The quiz's first ten, as the screens show them in place of the question: their heading, or
 * (`within` a page about something else: the remote) a heading under the page's.
 */
export function leaderboardBlock({ players, top }: Leaderboard, { within = false } = {}): SafeHtml {
  return html`<section class="leaderboard" aria-labelledby="leaderboard-title">
${within ? html`<h2 id="leaderboard-title">${t('audience.leaderboard.title')}</h2>` : html`<h1 id="leaderboard-title">${t('audience.leaderboard.title')}</h1>`}
${
  top.length === 0
    ? html`<p class="hint">${t('audience.leaderboard.noPoints')}</p>`
    : html`<ol class="leaderboard-list">${top.map(
        (entry) =>
          html`<li class="leaderboard-row${entry.rank === 1 ? ' leader' : ''}"><span class="leaderboard-rank">${ordinal(entry.rank)}</span><span class="leaderboard-name${entry.nickname === null ? ' anonymous' : ''}" dir="auto">${entry.nickname ?? t('audience.anonymous')}</span><span class="leaderboard-points">${pointsLabel(entry.points)}</span></li>`,
      )}</ol>
<p class="hint">${t('audience.leaderboard.players', { count: players })}</p>`
}
</section>`;
}

/** A voter's own place, on their phone once a quiz answer is revealed. */
export function standingLine(standing: VoterStanding): SafeHtml | '' {
  if (standing.rank === null) return '';
  const values = {
    place: html`<strong>${ordinal(standing.rank)}</strong>`,
    players: standing.players,
    points: html`<strong>${pointsLabel(standing.points)}</strong>`,
  };
  const line = standing.nickname
    ? tHtml('audience.leaderboard.standingAs', { ...values, nickname: html`<bdi>${standing.nickname}</bdi>` })
    : tHtml('audience.leaderboard.standing', values);
  return html`<p class="standing" role="status">${line}</p>`;
}

/** Picks or changes the voter's nickname on the leaderboard; without one, they show as Anonymous. */
export function nicknameForm(code: string, nickname: string | null, error?: string): SafeHtml {
  return html`<form method="post" action="${pollPaths(code).nickname}" class="card nickname-form" id="nickname">
<label for="nickname-input">${nickname ? t('audience.nickname.yours') : t('audience.nickname.pick')}</label>
${error ? html`<p class="notice error" role="alert" id="nickname-error">${error}</p>` : ''}
<div class="row"><input id="nickname-input" name="nickname" value="${nickname ?? ''}" maxlength="${MAX_NICKNAME_CHARS}" autocomplete="nickname" dir="auto" required${error ? html` aria-describedby="nickname-error" aria-invalid="true"` : ''}>
<button type="submit">${nickname ? t('audience.nickname.change') : t('common.save')}</button></div>
<p class="hint" data-nickname-status role="status"></p>
</form>`;
}
