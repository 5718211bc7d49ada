import { t } from '../../../i18n/request-language.js';
import { percentOf } from '../../../realtime/messages.js';

// What the ranking's pages and its browser code share: kept free of the server's modules, as the
// browser loads it (the page build points request-language.js at the page's own messages).

/** "1st", "2nd", "3rd", "4th"… up to the tenth place a ranking can have, in the page's language. */
export const placeName = (place: number) => t('common.place', { place });

/** The share of the points an option could have had: all of its voters' first places. */
export const shareOfPoints = (score: number, voters: number, options: number) =>
  percentOf(score, voters * (options - 1));
