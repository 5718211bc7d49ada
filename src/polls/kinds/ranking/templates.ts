import { t } from '../../../i18n/request-language.js';
import { formatNumber } from '../../../views/format.js';
import { html } from '../../../views/html.js';
import { tHtml } from '../../../views/message-html.js';
import { bars } from '../bars.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { rankedOptions } from './kind.js';
import { shareOfPoints } from './places.js';

/**
 * Ranking: a choice of option for each place, which works without JavaScript (the page script
 * turns it into a list to move up and down); results are the options by score.
 */
export const rankingTemplates: KindTemplates = {
  get label() {
    return t('kinds.ranking.label');
  },
  typedOptions: true,

  results(question) {
    const { options, totalVotes } = ofKind(question, 'ranking');
    return bars(
      options.map((option) => ({
        key: html`data-option-id="${option.id}"`,
        label: option.text,
        figures: tHtml('kinds.ranking.figures', {
          points: html`<span class="count">${formatNumber(option.score)}</span>`,
          average: html`<span class="average-place">${option.averagePosition === null ? '–' : formatNumber(option.averagePosition)}</span>`,
        }),
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
<legend class="pick-hint">${t('kinds.ranking.legend')}</legend>
<ol class="rank-places">${order.map(
      (
        picked,
        i,
      ) => html`<li class="rank-place"><label for="rank-${i}">${t('kinds.ranking.place', { place: i + 1 })}</label>
<select id="rank-${i}" name="ranking">${options.map(
        (option) =>
          html`<option value="${option.id}" dir="auto"${option.id === picked ? html` selected` : ''}>${option.text}</option>`,
      )}</select></li>`,
    )}</ol>
</fieldset>`;
  },
};
