import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, fixture, METRICS_TOKEN, multipart } from '../helpers.js';
import {
  expectConsistent,
  liveQuestion,
  processDatabase,
  type ServerProcess,
  startServer,
  voteLoad,
} from './server-process.js';

// What is tested is the process, not the storage: one dialect is enough.
const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const FAIL_ON_SIGNAL = new URL('fail-on-signal.mjs', import.meta.url).pathname;

/** The value of one sample in Prometheus text. */
const sample = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1),
  );

describe('a Pollcast process with local OCR, taking votes, meets errors', () => {
  let db: Awaited<ReturnType<typeof processDatabase>>;
  let server: ServerProcess;
  let live: Awaited<ReturnType<typeof liveQuestion>>;
  let load: ReturnType<typeof voteLoad>;

  beforeAll(async () => {
    db = await processDatabase(sqlite);
    server = await startServer({ DATABASE_URL: db.url, NODE_OPTIONS: `--import=${FAIL_ON_SIGNAL}` });
    live = await liveQuestion(server.url);
    load = voteLoad(server.url, live.questionId, live.optionIds, 4);
    await load.until(50);
  });
  afterAll(async () => {
    await load?.stop();
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await db?.drop();
  });

  const upload = async (files: Record<string, Buffer>) => {
    const body = multipart(files, { activate: 'false' });
    const response = await fetch(`${server.url}/api/admin/polls/default/questions/from-images`, {
      method: 'POST',
      headers: { ...body.headers, authorization: `Bearer ${live.token}` },
      body: body.payload,
    });
    return { status: response.status, body: (await response.json()) as Record<string, { [key: string]: unknown }> };
  };

  /** More votes are acknowledged from now on: the process is serving. */
  const stillServing = () => load.until(load.acknowledged.size + 50);

  it('refuses a PNG cut short with image_unreadable, serves on, and reads the next upload', async () => {
    // A phone upload interrupted after a few hundred bytes: its header is intact.
    const cut = await upload({
      question_image: fixture('capital-question.png').subarray(0, 400),
      options_image: fixture('capital-options.png'),
    });
    expect([cut.status, cut.body.error?.code]).toEqual([422, 'image_unreadable']);
    expect(cut.body.error?.message).toContain('question image');
    await stillServing();

    const whole = await upload({
      question_image: fixture('capital-question.png'),
      options_image: fixture('capital-options.png'),
    });
    expect([whole.status, whole.body.question?.text]).toEqual([201, 'What is the capital of Australia?']);
  });

  it('logs and counts a throw in a library callback and a rejection nobody handled, and serves on', async () => {
    server.child.kill('SIGUSR2');
    const metrics = async () =>
      (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    await expect
      .poll(async () => sample(await metrics(), 'pollcast_unexpected_errors_total{kind="uncaughtException"}'), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(sample(await metrics(), 'pollcast_unexpected_errors_total{kind="unhandledRejection"}')).toBe(1);
    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('thrown from a library callback');
    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('a rejection nobody handled');
    await stillServing();
    const poll = (await (await fetch(`${server.url}/api/polls/default`)).json()) as { liveQuestion: { id: number } };
    expect(poll.liveQuestion.id).toBe(live.questionId);
  });

  it('stops cleanly afterwards, with every acknowledged vote stored and no vote answered 500', async () => {
    await load.stop();
    expect(load.statuses.get(500)).toBeUndefined();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expectConsistent(await (await db.stored())(live.questionId), load.acknowledged, expect);
  });
});
