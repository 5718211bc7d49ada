import { execFileSync } from 'node:child_process';

/**
 * The server and the page scripts are built once, as `npm start` builds them (only what changed),
 * so that browser tests load what `npm start` serves and deployment tests run `dist/server.js`.
 */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build.js', '--changed'], { stdio: 'inherit' });
}
