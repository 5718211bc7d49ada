import { html } from '../../../views/html.js';
import { bars } from '../bars.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { rankedOptions } from './kind.js';
import { placeName, shareOfPoints } from './places.js';

/**
 * Ranking: a choice of option for each place, which works without JavaScript (the page script
 * turns it into a list to move up and down); results are the options by score.
 */
export const rankingTemplates: KindTemplates = {
  label: 'Ranking',
  typedOptions: true,

  results(question) {
    const { options, totalVotes } = ofKind(question, 'ranking');
    return bars(
      options.map((option) => ({
        key: html`data-option-id="${option.id}"`,
        label: option.text,
        figures: html`<span class="count">${option.score}</span> pts · average place <span class="average-place">${option.averagePosition ?? '–'}</span>`,
        percent: shareOfPoints(option.score, totalVotes, options.length),
        mine: false,
      })),
    );
  },

  answerFields(question, mine) {
    const options = [...ofKind(question, 'ranking').options].sort((a, b) => a.id - b.id);
    const own = rankedOptions(mine?.answer ?? null);
    // The voter's own order when they change it; else the organizer's, so any order sent is whole.
    const order = own.length === options.length ? own : options.map((option) => option.id);
    return html`<fieldset class="ranking" data-ranking>
<legend class="pick-hint">Put the options in order, the one you like most first</legend>
<ol class="rank-places">${order.map(
      (picked, i) => html`<li class="rank-place"><label for="rank-${i}">${placeName(i + 1)} place</label>
<select id="rank-${i}" name="ranking">${options.map(
        (option) =>
          html`<option value="${option.id}"${option.id === picked ? html` selected` : ''}>${option.text}</option>`,
      )}</select></li>`,
    )}</ol>
</fieldset>`;
  },
};
