/** A size limit as people read it: megabytes with at most one decimal ("10 MB", "2.5 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** "1 vote", "12 votes". */
export function votesLabel(count: number): string {
  return `${count} ${count === 1 ? 'vote' : 'votes'}`;
}

/** The button that confirms deleting a question, with the votes that go with it. */
export function deleteQuestionLabel(votes: number): string {
  return votes === 0 ? 'Delete question' : `Delete question and ${votesLabel(votes)}`;
}

/** What deleting a question takes with it, asked before it happens (live counts keep it current). */
export function deleteQuestionPrompt(text: string, votes: number): string {
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return votes === 0
    ? `Delete the question “${short}”? It has no votes yet.`
    : `Delete the question “${short}” and its ${votesLabel(votes)}? This cannot be undone.`;
}

/** What deleting a poll takes with it. */
export function deletePollPrompt(title: string, questions: number, votes: number): string {
  const what = questions > 1 ? `its ${questions} questions and ${votesLabel(votes)}` : `its ${votesLabel(votes)}`;
  return `Delete the poll “${title}” with ${what}? This cannot be undone.`;
}

/** The reveal button's words: a question's hidden results (with a quiz's answer, if any), else a quiz's answer. */
export function revealLabel(question: { hiddenResults?: { revealed: boolean } | undefined }): string {
  return question.hiddenResults?.revealed === false ? 'Reveal the results' : 'Reveal the answer';
}

/** The time left on a countdown, as a clock shows it: "4:05". */
export function clockTime(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A countdown's length as people say it: "45 s", "2 min", "1 min 30 s". */
export function durationLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

const ordinals = new Intl.PluralRules('en', { type: 'ordinal' });
const ORDINAL_SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** A place as people say it: "1st", "2nd", "23rd", "11th". */
export function ordinal(place: number): string {
  return `${place}${ORDINAL_SUFFIX[ordinals.select(place)] ?? 'th'}`;
}

/** Points as people read them: "1,420 points", "1 point". */
export function pointsLabel(points: number): string {
  return `${points.toLocaleString('en')} ${points === 1 ? 'point' : 'points'}`;
}
