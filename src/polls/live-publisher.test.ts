import { describe, expect, it } from 'vitest';
import { createMemoryBroadcaster } from '../realtime/memory-broadcaster.js';
import type { QuestionView } from '../realtime/messages.js';
import { LivePublisher } from './live-publisher.js';

const base = {
  id: 7,
  pollCode: 'ABCDEF',
  text: 'Which?',
  status: 'live',
  totalVotes: 3,
  version: 4,
  createdAt: '2026-12-07T10:00:00.000Z',
} as const;
const options = [
  { id: 1, text: 'A', votes: 1, percent: 33.3 },
  { id: 2, text: 'B', votes: 2, percent: 66.7 },
];

describe('the live publisher', () => {
  it("never sends the organizer's copy of a question: no secret answer, no hidden counts", async () => {
    const bus = createMemoryBroadcaster();
    const sent: string[] = [];
    await bus.subscribe('ABCDEF', (payload) => sent.push(payload));
    const errors: unknown[] = [];
    const publisher = new LivePublisher(bus, { onError: (error) => errors.push(error) }, 0);

    const secretAnswer: QuestionView = {
      ...base,
      kind: 'choice',
      options,
      quiz: { revealed: false, correctOptionIds: [2] },
    };
    const hiddenCounts: QuestionView = {
      ...base,
      kind: 'choice',
      options,
      hiddenResults: { revealed: false, withheld: false },
    };
    for (const question of [secretAnswer, hiddenCounts]) {
      publisher.question('ABCDEF', question);
      publisher.results(question);
    }
    const audience: QuestionView = {
      ...base,
      kind: 'choice',
      options: options.map((option) => ({ ...option, votes: 0, percent: 0 })),
      hiddenResults: { revealed: false, withheld: true },
    };
    publisher.question('ABCDEF', audience);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(errors).toHaveLength(4);
    expect(sent.map((payload) => JSON.parse(payload).question)).toEqual([audience]);
    publisher.close();
  });
});
