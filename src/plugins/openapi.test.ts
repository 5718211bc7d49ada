import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, type TestApp } from '../../test/helpers.js';

/**
 * Every route the server answers, as `get /api/polls/{code}`: read from Fastify's own route
 * tree, where each line's indent says which line above is its parent.
 */
function registeredRoutes(tree: string): string[] {
  const parents: { depth: number; path: string }[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│├└─\s]*)(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match?.[2]) continue;
    const depth = match[1]?.length ?? 0;
    while ((parents.at(-1)?.depth ?? -1) >= depth) parents.pop();
    const path = `${parents.at(-1)?.path ?? ''}${match[2]}`.replace(/\/+/g, '/');
    parents.push({ depth, path });
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD') routes.push(`${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

describe('the API description', () => {
  let t: TestApp;

  beforeAll(async () => {
    const [sqlite] = dialects;
    if (!sqlite) throw new Error('no dialect');
    t = await buildTestApp(sqlite);
    await t.app.ready();
  });
  afterAll(() => t?.close());

  it('serves OpenAPI 3 with every /api route the server answers', async () => {
    const response = await t.app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    const api = registeredRoutes(t.app.printRoutes({ commonPrefix: false }))
      .filter((route) => / \/api\//.test(route) && !/ \/api\/(docs|openapi\.json)/.test(route))
      .sort();
    expect(api).toContain('get /api/polls/{code}/ws');
    expect(api).toContain('post /api/auth/register');
    expect(api.length).toBeGreaterThan(25);
    expect(documented).toEqual(api);
  });

  it('describes requests, answers and errors from the routes own schemas', async () => {
    const { paths } = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const vote = paths['/api/polls/{code}/votes'].post;
    const voteBody = vote.requestBody.content['application/json'].schema;
    expect(voteBody.required).toEqual(['questionId']);
    // Each kind of question reads its own answer field.
    expect(Object.keys(voteBody.properties)).toEqual(expect.arrayContaining(['optionId', 'optionIds']));
    expect(Object.keys(vote.responses)).toEqual(expect.arrayContaining(['201', '4XX', '5XX']));
    const error = vote.responses['4XX'].content['application/json'].schema;
    expect(error.properties.error.required).toEqual(['code', 'message']);
    const quick = paths['/api/polls'].post.responses['201'].content['application/json'].schema;
    expect(Object.keys(quick.properties)).toEqual(['code', 'manageToken', 'urls', 'question']);
  });

  it('offers a page to read and try the API, served from the package (no network)', async () => {
    const docs = await t.app.inject({ url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    const script = await t.app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
  });
});
