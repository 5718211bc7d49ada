/** Whether screens show a word of a cloud or an open answer, as its row keeps it. */
export const Visibility = {
  shown: 0,
  /** The organizer hid it; they may show it again. */
  hidden: 1,
  /** The poll's profanity filter hid it; the organizer may show it all the same. */
  filtered: 2,
} as const;

export type Visibility = (typeof Visibility)[keyof typeof Visibility];
