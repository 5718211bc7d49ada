import { pollPaths } from '../polls/paths.js';
import { MAX_NICKNAME_CHARS } from '../polls/schemas.js';
import type { VoterStanding } from '../polls/standings.js';
import type { Leaderboard } from '../realtime/messages.js';
import { ordinal, pointsLabel } from './format.js';
import { html, type SafeHtml } from './html.js';

/**
 * The quiz's first ten, as the screens show them in place of the question: their heading, or
 * (`within` a page about something else: the remote) a heading under the page's.
 */
export function leaderboardBlock({ players, top }: Leaderboard, { within = false } = {}): SafeHtml {
  return html`<section class="leaderboard" aria-labelledby="leaderboard-title">
${within ? html`<h2 id="leaderboard-title">Leaderboard</h2>` : html`<h1 id="leaderboard-title">Leaderboard</h1>`}
${
  top.length === 0
    ? html`<p class="hint">No points yet: they count once a quiz question's answer is revealed.</p>`
    : html`<ol class="leaderboard-list">${top.map(
        (entry) =>
          html`<li class="leaderboard-row${entry.rank === 1 ? ' leader' : ''}"><span class="leaderboard-rank">${ordinal(entry.rank)}</span><span class="leaderboard-name${entry.nickname === null ? ' anonymous' : ''}">${entry.nickname ?? 'Anonymous'}</span><span class="leaderboard-points">${pointsLabel(entry.points)}</span></li>`,
      )}</ol>
<p class="hint">${players} ${players === 1 ? 'player' : 'players'}</p>`
}
</section>`;
}

/** A voter's own place, on their phone once a quiz answer is revealed. */
export function standingLine(standing: VoterStanding): SafeHtml | '' {
  if (standing.rank === null) return '';
  return html`<p class="standing" role="status">You are <strong>${ordinal(standing.rank)}</strong> of ${standing.players} with <strong>${pointsLabel(standing.points)}</strong>${standing.nickname ? html` as ${standing.nickname}` : ''}.</p>`;
}

/** Picks or changes the voter's nickname on the leaderboard; without one, they show as Anonymous. */
export function nicknameForm(code: string, nickname: string | null, error?: string): SafeHtml {
  return html`<form method="post" action="${pollPaths(code).nickname}" class="card nickname-form" id="nickname">
<label for="nickname-input">${nickname ? 'Your nickname on the leaderboard' : 'Pick a nickname for the leaderboard'}</label>
${error ? html`<p class="notice error" role="alert" id="nickname-error">${error}</p>` : ''}
<div class="row"><input id="nickname-input" name="nickname" value="${nickname ?? ''}" maxlength="${MAX_NICKNAME_CHARS}" autocomplete="nickname" required${error ? html` aria-describedby="nickname-error" aria-invalid="true"` : ''}>
<button type="submit">${nickname ? 'Change' : 'Save'}</button></div>
<p class="hint" data-nickname-status role="status"></p>
</form>`;
}
