import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  asUser,
  buildTestApp,
  cookieFrom,
  dialects,
  type OptionsQuestion,
  organizerToken,
  postForm,
  signInCookie,
  type TestApp,
  voteAs,
} from '../../test/helpers.js';

/** The rows of a CSV body as a spreadsheet reads them (no cell here holds a line break). */
function rowsOf(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line, i, lines) => i < lines.length - 1 || line !== '')
    .map((line) => (line === '' ? [] : [...line.matchAll(/"((?:[^"]|"")*)"|([^,]+)/g)].map((m) => m[1] ?? m[2] ?? '')));
}

describe.each(dialects)('results exported as CSV on $name', (dialect) => {
  let t: TestApp;
  let olga: ReturnType<typeof asUser>;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    olga = asUser(t.app, await organizerToken(t.app, 'olga'));
  });
  afterAll(() => t?.close());

  const newPoll = async (title: string): Promise<string> =>
    (await olga({ method: 'POST', url: '/api/admin/polls', payload: { title } })).json().code;
  const addQuestion = async (code: string, text: string, options: string[], activate = false) =>
    (
      await olga({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload: { text, options, activate } })
    ).json().question as OptionsQuestion;

  it('exports a whole poll in one table, in the poll order, with the poll and the export time on top', async () => {
    const code = await newPoll('Café com leite — Retro');
    const first = await addQuestion(code, 'Went well?', ['Yes', 'No'], true);
    const second = await addQuestion(code, 'Next sprint, same length?', ['Shorter', 'Same', 'Longer']);
    const third = await addQuestion(code, 'Pizza after?', ['Yes', 'No']);
    await olga({ method: 'POST', url: `/api/admin/questions/${third.id}/move`, payload: { direction: 'up' } });
    await voteAs(t.app, 'a', first.id, first.options[0]?.id, { code });
    await voteAs(t.app, 'b', first.id, first.options[0]?.id, { code });
    await voteAs(t.app, 'c', first.id, first.options[1]?.id, { code });
    await olga({ method: 'POST', url: `/api/admin/questions/${second.id}/activate` });

    const before = Date.now();
    const response = await olga({ url: `/api/admin/polls/${code}/results.csv` });
    const after = Date.now();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${code}-cafe-com-leite-retro.csv"; filename*=UTF-8''${code}-caf%C3%A9-com-leite-retro.csv`,
    );
    expect(response.body.startsWith('\uFEFF"poll"')).toBe(true);
    const rows = rowsOf(response.body);
    expect(rows.slice(0, 2)).toEqual([
      ['poll', 'Café com leite — Retro'],
      ['code', code],
    ]);
    // The server's local time with its offset (the tests run in America/Sao_Paulo, UTC-3).
    const [name, exportedAt = ''] = rows[2] ?? [];
    expect(name).toBe('exported_at');
    expect(exportedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-03:00$/);
    const exportedMs = Date.parse(exportedAt);
    expect(exportedMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(exportedMs).toBeLessThanOrEqual(after);
    expect(rows.slice(3)).toEqual([
      [],
      ['question_number', 'question', 'status', 'option', 'votes', 'percent'],
      ['1', 'Went well?', 'closed', 'Yes', '2', '66.7'],
      ['1', 'Went well?', 'closed', 'No', '1', '33.3'],
      ['2', 'Pizza after?', 'draft', 'Yes', '0', '0'],
      ['2', 'Pizza after?', 'draft', 'No', '0', '0'],
      ['3', 'Next sprint, same length?', 'live', 'Shorter', '0', '0'],
      ['3', 'Next sprint, same length?', 'live', 'Same', '0', '0'],
      ['3', 'Next sprint, same length?', 'live', 'Longer', '0', '0'],
    ]);

    const one = await olga({ url: `/api/admin/questions/${second.id}/results.csv` });
    expect(one.headers['content-disposition']).toBe(`attachment; filename="${code}-next-sprint-same-length.csv"`);
    expect(rowsOf(one.body).slice(5)).toEqual([
      ['3', 'Next sprint, same length?', 'live', 'Shorter', '0', '0'],
      ['3', 'Next sprint, same length?', 'live', 'Same', '0', '0'],
      ['3', 'Next sprint, same length?', 'live', 'Longer', '0', '0'],
    ]);
  });

  it('names files with a short, safe slug, keeping other scripts through filename*', async () => {
    const hebrew = await newPoll('סקר צוות');
    expect((await olga({ url: `/api/admin/polls/${hebrew}/results.csv` })).headers['content-disposition']).toBe(
      `attachment; filename="${hebrew}-results.csv"; filename*=UTF-8''${hebrew}-${encodeURIComponent('סקר-צוות')}.csv`,
    );
    const hostile = await newPoll('=cmd|"/c calc"!A1 ../../etc/passwd\r\nSet-Cookie: x=1');
    const response = await olga({ url: `/api/admin/polls/${hostile}/results.csv` });
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${hostile}-cmd-c-calc-a1-etc-passwd-set-cookie-x-1.csv"`,
    );
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(rowsOf(response.body)[0]).toEqual(['poll', `'=cmd|""/c calc""!A1 ../../etc/passwd Set-Cookie: x=1`]);
    const long = await newPoll('A very long title for a poll that goes on and on about many things');
    expect((await olga({ url: `/api/admin/polls/${long}/results.csv` })).headers['content-disposition']).toBe(
      `attachment; filename="${long}-a-very-long-title-for-a-poll-that-goes.csv"`,
    );
  });

  it("keeps each poll's export to those who manage it", async () => {
    const code = await newPoll('Private');
    const question = await addQuestion(code, 'Secret?', ['A', 'B']);
    const pete = asUser(t.app, await organizerToken(t.app, 'pete'));
    for (const url of [`/api/admin/polls/${code}/results.csv`, `/api/admin/questions/${question.id}/results.csv`]) {
      const refused = await pete({ url });
      expect(refused.statusCode, url).toBe(404);
      expect(refused.body).not.toContain('Secret?');
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
    }
    const admin = asUser(t.app, await adminToken(t.app));
    expect((await admin({ url: `/api/admin/polls/${code}/results.csv` })).statusCode).toBe(200);
    expect((await admin({ url: '/api/admin/polls/default/results.csv' })).headers['content-disposition']).toBe(
      'attachment; filename="default-pollcast.csv"',
    );
  });

  it('is linked on the organizer poll page', async () => {
    const code = await newPoll('Linked');
    const cookie = await signInCookie(t.app, 'olga', 'olga-password');
    const page = await t.app.inject({ url: `/admin/polls/${code}`, headers: { cookie } });
    expect(page.body).toContain(`<a href="/api/admin/polls/${code}/results.csv" download>Export all results (CSV)</a>`);
  });

  it("lets a quick poll's creator export with the manage token, on the manage page and through the API", async () => {
    const made = await postForm(t.app, '/polls', { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    const share = String(made.headers.location);
    const code = share.split('/')[2] ?? '';
    const cookie = cookieFrom(made.headers['set-cookie'], 'pc_manage');
    const manage = await t.app.inject({ url: `/p/${code}/manage`, headers: { cookie } });
    expect(manage.body).toContain(`<a href="/p/${code}/manage/results.csv" download>Export results (CSV)</a>`);
    const file = await t.app.inject({ url: `/p/${code}/manage/results.csv`, headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${code}-tea-or-coffee.csv"`);
    expect(rowsOf(file.body).slice(4)).toEqual([
      ['question_number', 'question', 'status', 'option', 'votes', 'percent'],
      ['1', 'Tea or coffee?', 'live', 'Tea', '0', '0'],
      ['1', 'Tea or coffee?', 'live', 'Coffee', '0', '0'],
    ]);
    const stranger = await t.app.inject({ url: `/p/${code}/manage/results.csv` });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).not.toContain('Coffee');

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { question: 'Cats or dogs?', options: ['Cats', 'Dogs'] },
    });
    const { code: quick, manageToken } = created.json();
    const api = (token: string) =>
      t.app.inject({ url: `/api/polls/${quick}/manage/results.csv`, headers: { 'x-manage-token': token } });
    expect((await api(manageToken)).statusCode).toBe(200);
    expect((await api(`${manageToken}x`)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/polls/${quick}/manage/results.csv` })).statusCode).toBe(422);
  });
});
