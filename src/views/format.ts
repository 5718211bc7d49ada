import { t } from '../i18n/request-language.js';

/** A size limit as people read it: megabytes with at most one decimal ("10 MB", "2.5 MB"). */
export function megabytes(bytes: number): string {
  return t('common.megabytes', { size: Math.round((bytes / 1024 / 1024) * 10) / 10 });
}

/** A count as the page's language writes it: "1,234", "1.234". */
export function formatNumber(value: number): string {
  return t('common.number', { value });
}

/** "1 vote", "12 votes". */
export function votesLabel(count: number): string {
  return t('common.votes', { count });
}

/** The button that confirms deleting a question, with the votes that go with it. */
export function deleteQuestionLabel(votes: number): string {
  return t('organizer.questions.deleteLabel', { votes });
}

/** What deleting a question takes with it, asked before it happens (live counts keep it current). */
export function deleteQuestionPrompt(text: string, votes: number): string {
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return t('organizer.questions.deletePrompt', { text: short, votes });
}

/** What deleting a poll takes with it. */
export function deletePollPrompt(title: string, questions: number, votes: number): string {
  return t('organizer.poll.deletePrompt', { title, questions, votes });
}

/** The reveal button's words: a question's hidden results (with a quiz's answer, if any), else a quiz's answer. */
export function revealLabel(question: { hiddenResults?: { revealed: boolean } | undefined }): string {
  return question.hiddenResults?.revealed === false
    ? t('organizer.questions.revealResults')
    : t('organizer.questions.revealAnswer');
}

/** The time left on a countdown, as a clock shows it: "4:05". */
export function clockTime(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A countdown's length as people say it: "45 s", "2 min", "1 min 30 s". */
export function durationLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return t('common.seconds', { seconds: rest });
  return rest === 0 ? t('common.minutes', { minutes }) : t('common.minutesSeconds', { minutes, seconds: rest });
}

/** A place as people say it: "1st", "2nd", "23rd", "11th". */
export function ordinal(place: number): string {
  return t('common.place', { place });
}

/** Points as people read them: "1,420 points", "1 point". */
export function pointsLabel(points: number): string {
  return t('common.points', { points });
}
