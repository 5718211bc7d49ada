// Bundles the page scripts (src/client/*.ts) and copies the static assets into dist/public.
import { cpSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/public';
mkdirSync(outdir, { recursive: true });
cpSync('src/public', outdir, { recursive: true });
await build({
  entryPoints: ['vote', 'results', 'admin', 'home', 'share'].map((page) => `src/client/${page}.ts`),
  outdir,
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
