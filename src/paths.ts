import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root, whether the code runs from src/ (tests, dev) or dist/ (npm start). */
export const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** The bundled page scripts and the stylesheet, built by scripts/build-client.js. */
export const assetsDir = join(projectRoot, 'dist', 'public');

/** The version in package.json, for the API description. */
export const appVersion: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version;
