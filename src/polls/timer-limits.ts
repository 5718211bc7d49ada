/** The shortest and the longest countdown: long enough to read a question, short of a whole session. */
export const MIN_TIMER_SEC = 5;
export const MAX_TIMER_SEC = 3600;
