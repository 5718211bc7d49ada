import { percentOf } from '../../../realtime/messages.js';

// What the ranking's pages and its browser code share: kept free of the server's modules, as the
// browser loads it.

/** "1st", "2nd", "3rd", "4th"… up to the tenth place a ranking can have. */
export const placeName = (place: number) =>
  `${place}${place === 1 ? 'st' : place === 2 ? 'nd' : place === 3 ? 'rd' : 'th'}`;

/** The share of the points an option could have had: all of its voters' first places. */
export const shareOfPoints = (score: number, voters: number, options: number) =>
  percentOf(score, voters * (options - 1));
