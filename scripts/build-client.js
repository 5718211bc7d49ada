// Bundles the page scripts (src/client/*.ts) and the stylesheets into dist/public, copies the other
// static assets, and writes a Brotli and a gzip copy beside each, which the server sends as they are
// to browsers that take them.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const clientSources = ['src/client', 'src/public'];
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
  });
  for (const file of filesUnder(outdir)) if (compressible.test(file)) precompress(file);
  return [...new Set([...Object.keys(metafile.inputs), ...clientSources.flatMap(filesUnder)])].sort();
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
