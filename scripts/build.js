// Builds dist/: the server from src/ and the page assets (scripts/build-client.js).
//
//   node scripts/build.js            the full build (`npm run build`, CI): type-checks with tsc
//   node scripts/build.js --changed  what `npm start` runs first: rebuilds only the sources whose
//                                    content changed since the last build, transpiling server files
//                                    one by one with esbuild (no type check: `npm run typecheck`)
//
// dist/build-state.json records the content hash of every source each build was made from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { buildClient, clientSources, filesUnder } from './build-client.js';

const STATE = 'dist/build-state.json';
// A change to any of these may change every output: everything is rebuilt.
const TOOLS = [
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/build.js',
  'scripts/build-client.js',
];

const hashOf = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
const hashes = (files) => Object.fromEntries(files.map((file) => [file, hashOf(file)]));

/** The server's sources, as tsconfig.build.json takes them. */
const serverSources = () =>
  filesUnder('src').filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('src/client/'));

const readState = () => (existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : undefined);

const outputOf = (source) => source.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

// The server reads every language's catalog as a file (src/i18n/catalogs.ts): each is copied as
// it is, when it differs from the copy in dist/.
function copyCatalogs() {
  mkdirSync('dist/i18n/messages', { recursive: true });
  for (const name of readdirSync('src/i18n/messages')) {
    const [source, copy] = [`src/i18n/messages/${name}`, `dist/i18n/messages/${name}`];
    if (!existsSync(copy) || !readFileSync(copy).equals(readFileSync(source))) cpSync(source, copy);
  }
}

function writeState(server, client) {
  const state = {
    tools: hashes(TOOLS),
    server: hashes(server),
    client: hashes(client),
    assets: filesUnder('dist/public'),
  };
  writeFileSync(STATE, `${JSON.stringify(state, null, 2)}\n`);
}

async function fullBuild() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  copyCatalogs();
  const client = await buildClient();
  writeState(serverSources(), client);
}

async function changedBuild() {
  const before = readState();
  const everything = !before || Object.entries(hashes(TOOLS)).some(([file, hash]) => before.tools[file] !== hash);
  const server = serverSources();
  const stale = server.filter(
    (file) => everything || before.server[file] !== hashOf(file) || !existsSync(outputOf(file)),
  );
  const removed = everything ? [] : Object.keys(before.server).filter((file) => !server.includes(file));
  const clientChanged =
    everything ||
    Object.entries(before.client).some(([file, hash]) => !existsSync(file) || hashOf(file) !== hash) ||
    clientSources.flatMap(filesUnder).some((file) => !(file in before.client)) ||
    before.assets.some((file) => !existsSync(file));

  if (stale.length > 0) {
    await build({
      entryPoints: stale,
      outdir: 'dist',
      outbase: 'src',
      format: 'esm',
      platform: 'node',
      target: 'es2022',
      sourcemap: true,
      logLevel: 'warning',
    });
  }
  for (const file of removed) {
    const js = outputOf(file);
    rmSync(js, { force: true });
    rmSync(`${js}.map`, { force: true });
  }
  copyCatalogs();
  const client = clientChanged ? await buildClient() : Object.keys(before.client);
  writeState(server, client);

  const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const done = [
    ...(stale.length > 0 ? [`rebuilt ${count(stale.length, 'server file')}`] : []),
    ...(removed.length > 0 ? [`removed the output of ${count(removed.length, 'deleted server file')}`] : []),
    ...(clientChanged ? ['rebuilt the page scripts and assets'] : []),
  ];
  console.log(`Build: ${done.length > 0 ? done.join('; ') : 'up to date'}.`);
}

await (process.argv.includes('--changed') ? changedBuild() : fullBuild());
