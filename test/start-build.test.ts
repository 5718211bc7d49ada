import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

// `npm start` runs `node scripts/build.js --changed` first: on a copy of the project, so that
// sources can be changed.
describe('the build before npm start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pollcast-build-'));
    for (const part of ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const build = () => execFileSync(process.execPath, ['scripts/build.js', '--changed'], { cwd: dir, encoding: 'utf8' });
  const at = (path: string) => join(dir, path);
  /** Every built file with the time it was last written. */
  const written = () =>
    Object.fromEntries(
      readdirSync(at('dist'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name !== 'build-state.json')
        .map((entry) => join(entry.parentPath, entry.name))
        .map((file) => [file.slice(dir.length + 1), statSync(file).mtimeMs]),
    );
  const rewritten = (before: Record<string, number>) =>
    Object.entries(written())
      .filter(([file, mtime]) => before[file] !== mtime)
      .map(([file]) => file)
      .sort();

  it('builds the server and the page assets the first time, then nothing while no source changes', () => {
    expect(build()).toContain('rebuilt');
    for (const file of ['dist/server.js', 'dist/db/migrations', 'dist/public/vote.js', 'dist/public/styles.css'])
      expect(existsSync(at(file)), file).toBe(true);
    const before = written();
    expect(build().trim()).toBe('Build: up to date.');
    expect(rewritten(before)).toEqual([]);
  });

  it('rebuilds a changed server file alone, and a changed page script or stylesheet with the assets', () => {
    appendFileSync(at('src/polls/pages.ts'), "\nexport const changedAt = 'server-change';\n");
    let before = written();
    expect(build().trim()).toBe('Build: rebuilt 1 server file.');
    expect(rewritten(before)).toEqual(['dist/polls/pages.js', 'dist/polls/pages.js.map']);
    expect(readFileSync(at('dist/polls/pages.js'), 'utf8')).toContain('server-change');

    appendFileSync(at('src/public/styles.css'), '\n.stylesheet-change { color: red; }\n');
    appendFileSync(at('src/client/vote.ts'), "\ndocument.title ||= 'script-change';\n");
    before = written();
    expect(build().trim()).toBe('Build: rebuilt the page scripts and assets.');
    expect(rewritten(before).every((file) => file.startsWith('dist/public/'))).toBe(true);
    const css = readFileSync(at('dist/public/styles.css'));
    expect(String(css)).toContain('.stylesheet-change');
    expect(readFileSync(at('dist/public/vote.js'), 'utf8')).toContain('script-change');
    // The compressed copies the server sends are of the new content.
    expect(brotliDecompressSync(readFileSync(at('dist/public/styles.css.br')))).toEqual(css);
    expect(gunzipSync(readFileSync(at('dist/public/styles.css.gz')))).toEqual(css);
  });

  it('drops the output of a removed server file', () => {
    writeFileSync(at('src/extra.ts'), 'export const extra = 1;\n');
    build();
    expect(existsSync(at('dist/extra.js'))).toBe(true);
    rmSync(at('src/extra.ts'));
    expect(build().trim()).toBe('Build: removed the output of 1 deleted server file.');
    expect(existsSync(at('dist/extra.js'))).toBe(false);
  });
});
