import { execFileSync } from 'node:child_process';

/** The page scripts are bundled once, so that browser tests load what `npm start` serves. */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-client.js'], { stdio: 'inherit' });
}
