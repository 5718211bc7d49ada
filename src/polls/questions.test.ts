import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleError, type Reply, reading, startGeminiStandIn } from '../../test/gemini-stand-in.js';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  fixture,
  metricsText,
  multipart,
  type TestApp,
  uploadImages,
  voterCookie,
} from '../../test/helpers.js';

describe.each(dialects)('questions from images and their edits on $name', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { MAX_IMAGE_BYTES: '20000' });
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  const upload = (files: Record<string, Buffer>, fields: Record<string, string> = {}, auth = `Bearer ${token}`) => {
    const body = multipart(files, fields);
    return t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions/from-images',
      headers: { ...body.headers, authorization: auth },
      payload: body.payload,
    });
  };
  const questionCount = async () => (await t.app.db.selectFrom('questions').select('id').execute()).length;

  it('turns two images into the live question with zero counts', async () => {
    const before = await createLiveQuestion(t.app, token);
    const response = await upload({
      question_image: fixture('capital-question.png'),
      options_image: fixture('capital-options.png'),
    });
    expect(response.statusCode).toBe(201);
    const { question, ocr } = response.json();
    expect(question).toMatchObject({
      pollCode: 'default',
      text: 'What is the capital of Australia?',
      status: 'live',
      totalVotes: 0,
    });
    expect(question.options.map((o: { text: string; votes: number }) => [o.text, o.votes])).toEqual([
      ['Sydney', 0],
      ['Canberra', 0],
      ['Melbourne', 0],
      ['Perth', 0],
    ]);
    expect(ocr).toMatchObject({ provider: 'tesseract' });
    const live = (await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion;
    expect(live.id).toBe(question.id);
    // The question it replaced keeps its results, closed.
    const list = (
      await t.app.inject({ url: '/api/admin/polls/default/questions', headers: { authorization: `Bearer ${token}` } })
    ).json().questions;
    expect(list.find((q: { id: number }) => q.id === before.id)?.status).toBe('closed');
  });

  it('can create a draft instead of going live', async () => {
    const live = (await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion;
    const response = await upload(
      { question_image: fixture('lunch-question.png'), options_image: fixture('lunch-options.png') },
      { activate: 'false' },
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().question.status).toBe('draft');
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion.id).toBe(live.id);
  });

  it.each([
    [
      'a file that is not an image',
      { question_image: 'not-an-image.png', options_image: 'capital-options.png' },
      415,
      'image_unsupported',
    ],
    ['blank images', { question_image: 'blank.png', options_image: 'blank.png' }, 422, 'ocr_no_text'],
    [
      'a single option',
      { question_image: 'capital-question.png', options_image: 'one-option.png' },
      422,
      'ocr_too_few_options',
    ],
    [
      'an image over the size limit',
      { question_image: 'season-question-photo.jpg', options_image: 'capital-options.png' },
      413,
      'image_too_large',
    ],
  ])('answers %s with a clear error and stores nothing', async (_name, files, status, code) => {
    const before = await questionCount();
    const response = await upload(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, fixture(v)])));
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(response.json().error.message).toMatch(/\w+/);
    expect(await questionCount()).toBe(before);
  });

  it('requires both images and a multipart body', async () => {
    const missing = await upload({ question_image: fixture('capital-question.png') });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.message).toContain('options_image');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions/from-images',
      headers: { authorization: `Bearer ${token}` },
      payload: { question_image: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });

  it('requires a signed-in user', async () => {
    const response = await upload(
      { question_image: fixture('capital-question.png'), options_image: fixture('capital-options.png') },
      {},
      'Bearer not-a-real-token',
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it('lets the admin correct the text; rewording options keeps their votes', async () => {
    const question = await createLiveQuestion(t.app, token, {
      text: 'Capitol of Australia?',
      options: ['Sydny', 'Canberra'],
    });
    const sydney = question.options[0]?.id ?? 0;
    await t.app.inject({
      method: 'POST',
      url: '/api/polls/default/votes',
      headers: { cookie: voterCookie('edit-voter') },
      payload: { questionId: question.id, optionId: sydney },
    });
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'Capital of Australia?', options: ['Sydney', 'Canberra'] },
    });
    expect(edit.statusCode).toBe(200);
    const edited = edit.json().question;
    expect(edited.text).toBe('Capital of Australia?');
    expect(edited.options[0]).toMatchObject({ id: sydney, text: 'Sydney', votes: 1 });
    expect(edited.version).toBeGreaterThan(question.version);

    const addOption = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { options: ['Sydney', 'Canberra', 'Perth'] },
    });
    expect(addOption.statusCode).toBe(409);
    expect(addOption.json().error.code).toBe('question_has_votes');
  });

  it('keeps exactly one live question when several are made live at once', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/admin/polls/default/questions',
          headers: { authorization: `Bearer ${token}` },
          payload: { text: `Race ${i}?`, options: ['Yes', 'No'], activate: true },
        }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const live = await t.app.db.selectFrom('questions').select('id').where('status', '=', 'live').execute();
    expect(live).toHaveLength(1);
  });

  it('validates typed questions', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'Only one?', options: ['Yes'] },
    });
    expect(response.statusCode).toBe(422);
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'Same?', options: ['Yes', ' yes '] },
    });
    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json().error.message).toContain('same text');
  });
});

/** An app that reads images with Gemini (the local stand-in), and an admin's token for it. */
async function geminiApp(env: Record<string, string> = {}) {
  const [sqlite] = dialects;
  if (!sqlite) throw new Error('no dialect');
  const standIn = await startGeminiStandIn();
  const t = await buildTestApp(sqlite, {
    OCR_PROVIDER: 'auto',
    GEMINI_API_KEY: 'key-from-config',
    GEMINI_MODEL: 'gemini-configured',
    GEMINI_BASE_URL: standIn.baseUrl,
    ...env,
  });
  return { standIn, t, token: await adminToken(t.app) };
}

/** The same two images, uploaded as an admin. */
const uploadCapital = (t: TestApp, token: string, fields: Record<string, string> = {}) =>
  uploadImages(
    t.app,
    token,
    { question_image: fixture('capital-question.png'), options_image: fixture('capital-options.png') },
    fields,
  );

describe('questions from images read by Gemini', () => {
  let standIn: Awaited<ReturnType<typeof startGeminiStandIn>>;
  let t: TestApp;
  let token: string;

  // A short budget, so that a provider that hangs is given up on quickly.
  beforeAll(async () => {
    ({ standIn, t, token } = await geminiApp({ OCR_TIMEOUT_MS: '2000' }));
  });
  afterAll(async () => {
    await t.close();
    await standIn.close();
  });

  const upload = (fields: Record<string, string> = {}) => uploadCapital(t, token, fields);
  const questionCount = async () => (await t.app.db.selectFrom('questions').select('id').execute()).length;

  it('uses the configured key, model and base URL', async () => {
    standIn.script(reading('Capital of Australia?', ['Sydney', 'Canberra']));
    const response = await upload();
    expect(response.statusCode).toBe(201);
    expect(response.json().ocr).toMatchObject({ provider: 'gemini', model: 'gemini-configured' });
    expect(standIn.requests[0]).toMatchObject({ apiKey: 'key-from-config' });
    expect(standIn.requests[0]?.path).toContain('/models/gemini-configured:generateContent');
  });

  it.each<[string, Reply, number, string]>([
    [
      'a bad key',
      { status: 400, body: { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } } },
      502,
      'ocr_provider_auth',
    ],
    ['a timeout', { hang: true }, 504, 'ocr_timeout'],
    ['a refusal', { status: 200, body: { promptFeedback: { blockReason: 'OTHER' } } }, 422, 'ocr_blocked'],
  ])('answers %s with its error code and stores nothing', async (_name, reply, status, code) => {
    standIn.script(reply);
    const before = await questionCount();
    const response = await upload();
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(await questionCount()).toBe(before);
  });

  it('refuses an unknown OCR choice before reading anything', async () => {
    standIn.script(reading('Capital?', ['A', 'B']));
    const before = await questionCount();
    const response = await upload({ ocr: 'some-cloud' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('validation_failed');
    expect(standIn.requests).toHaveLength(0);
    expect(await questionCount()).toBe(before);
  });
});

// Local OCR has the same OCR_TIMEOUT_MS budget as Gemini, and takes seconds on a busy machine: here
// it keeps the default budget, and Gemini is down (overloaded) rather than hanging through all of it.
describe('questions from images when Gemini is down', () => {
  let standIn: Awaited<ReturnType<typeof startGeminiStandIn>>;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    ({ standIn, t, token } = await geminiApp());
  });
  afterAll(async () => {
    await t.close();
    await standIn.close();
  });

  const upload = (fields: Record<string, string> = {}) => uploadCapital(t, token, fields);

  it('reads the same upload with local OCR when Gemini is down, and with Gemini again on a retry', async () => {
    standIn.script(googleError(503, 'UNAVAILABLE', 'The model is overloaded.'));
    const failed = await upload();
    expect(failed.json().error.code).toBe('ocr_provider_error');

    const local = await upload({ ocr: 'local' });
    expect(local.statusCode).toBe(201);
    expect(local.json().ocr.provider).toBe('tesseract');
    expect(local.json().question.text).toBe('What is the capital of Australia?');
    expect(local.json().question.options.map((option: { text: string }) => option.text)).toEqual([
      'Sydney',
      'Canberra',
      'Melbourne',
      'Perth',
    ]);

    standIn.script(googleError(503, 'UNAVAILABLE', 'The model is overloaded.'), reading('Capital?', ['A', 'B']));
    const retried = await upload();
    expect(retried.statusCode).toBe(201);
    expect(retried.json().ocr.provider).toBe('gemini');

    const calls = await metricsText(t.app);
    expect(calls).toMatch(
      /pollcast_ocr_call_duration_seconds_count\{provider="gemini",outcome="ocr_provider_error"\} [1-9]/,
    );
    expect(calls).toContain('pollcast_ocr_call_duration_seconds_count{provider="tesseract",outcome="ok"} 1');
  });
});
