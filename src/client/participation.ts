import { enhanceNicknameForm } from './nickname.js';
import { applyQa, enhanceQa } from './qa.js';

// What the audience does beyond voting, fetched by the voting page only where the poll offers it:
// a quiz's nickname, and questions for the speaker.

export { applyQa };

export function enhanceParticipation(pollCode: string): void {
  enhanceNicknameForm(pollCode);
  enhanceQa();
}
