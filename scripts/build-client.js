// Bundles the page scripts (src/client/*.ts) and the stylesheets into dist/public, copies the other
// static assets, and writes a Brotli and a gzip copy beside each, which the server sends as they are
// to browsers that take them.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import MessageFormat from '@messageformat/core';
import compileModule from '@messageformat/core/compile-module.js';
import { build } from 'esbuild';
import { catalogProblems } from './check-catalogs.js';

export const clientSources = ['src/client', 'src/public', 'src/i18n/messages'];
const catalogsDir = 'src/i18n/messages';
const outdir = 'dist/public';
const pages = ['vote', 'results', 'admin', 'home', 'share'];
const lazyKinds = ['rating', 'ranking', 'wordcloud', 'text'];
const compressible = /\.(js|css|svg|map|json|html|txt)$/;

/** Builds dist/public from nothing; returns every source file the result was made from. */
export async function buildClient() {
  // From nothing, so that no compressed copy of an older file outlives it.
  rmSync(outdir, { recursive: true, force: true });
  // The stylesheets are minified like the scripts; every other asset is copied as it is.
  cpSync('src/public', outdir, { recursive: true, filter: (source) => !source.endsWith('.css') });
  const problems = catalogProblems();
  if (problems.length > 0) throw new Error(`The message catalogs have problems:\n${problems.join('\n')}`);
  const { metafile } = await build({
    entryPoints: [
      ...pages.map((page) => ({ in: `src/client/${page}.ts`, out: page })),
      // Fetched by the page scripts only when a page shows such a question (kinds/browser.ts).
      ...lazyKinds.map((kind) => ({ in: `src/polls/kinds/${kind}/browser.ts`, out: `kinds/${kind}` })),
      { in: 'src/client/ranking-list.ts', out: 'ranking-list' },
      { in: 'src/client/countdown.ts', out: 'countdown' },
      // Fetched by the voting page only when it offers a nickname or audience Q&A.
      { in: 'src/client/participation.ts', out: 'participation' },
      { in: 'src/public/styles.css', out: 'styles' },
      // Only the organizer's pages load it (views/layout.ts).
      { in: 'src/public/organizer.css', out: 'organizer' },
      // Only pages that show a leaderboard or audience Q&A load it (views/layout.ts).
      { in: 'src/public/participation.css', out: 'participation' },
    ],
    outdir,
    bundle: true,
    format: 'esm',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [browserMessages],
  });
  await buildMessages(Object.keys(metafile.inputs));
  for (const file of filesUnder(outdir)) if (compressible.test(file)) precompress(file);
  return [...new Set([...Object.keys(metafile.inputs), ...clientSources.flatMap(filesUnder)])].sort();
}

// Code shared by the server and the pages (views/format.ts, the ranking's places) takes its
// messages from the request's language on the server; in a page, from the page's language.
const browserMessages = {
  name: 'browser-messages',
  setup(build) {
    build.onResolve({ filter: /\/i18n\/request-language\.js$/ }, () => ({ path: resolve('src/client/messages.ts') }));
  },
};

/**
 * One module per language in dist/public/messages, holding the messages whose keys the page
 * scripts name, compiled to functions: a page fetches its language's (client/messages.ts) with no
 * message parser and only the plural rules of that language.
 */
async function buildMessages(inputs) {
  const english = JSON.parse(readFileSync(join(catalogsDir, 'en.json'), 'utf8'));
  const code = inputs
    .filter((file) => file.startsWith('src/'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const used = Object.keys(english).filter((key) => code.includes(`'${key}'`));
  const sources = 'dist/.messages';
  mkdirSync(sources, { recursive: true });
  const locales = readdirSync(catalogsDir).map((file) => file.replace(/\.json$/, ''));
  for (const locale of locales) {
    const catalog = JSON.parse(readFileSync(join(catalogsDir, `${locale}.json`), 'utf8'));
    const messages = Object.fromEntries(used.map((key) => [key, catalog[key]]));
    writeFileSync(join(sources, `${locale}.js`), compileModule(new MessageFormat(locale), messages));
  }
  await build({
    entryPoints: locales.map((locale) => ({ in: join(sources, `${locale}.js`), out: `messages/${locale}` })),
    outdir,
    bundle: true,
    format: 'esm',
    target: ['es2020'],
    minify: true,
    logLevel: 'warning',
  });
  rmSync(sources, { recursive: true, force: true });
}

function precompress(file) {
  const content = readFileSync(file);
  const brotli = brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
  const gzip = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
  // A tiny file can grow when compressed: then the plain one is the best answer.
  if (brotli.length < content.length) writeFileSync(`${file}.br`, brotli);
  if (gzip.length < content.length) writeFileSync(`${file}.gz`, gzip);
}

/** Every file below a folder, as paths relative to the project root. */
export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative('.', join(entry.parentPath, entry.name)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildClient();
