import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** What the deployment files describe, read as Docker and Compose read them, to run here without either. */

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Image {
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
  workdir: string;
}

/** What the Dockerfile's last stage (the image that runs) says: its settings and its two commands. */
export function imageOf(dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')): Image {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  const stage = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
  const instruction = (name: string) =>
    stage.filter((line) => line.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
  const env = Object.fromEntries(
    instruction('ENV').flatMap((line) => [...line.matchAll(/(\w+)=(\S+)/g)].map(([, key, value]) => [key, value])),
  );
  const json = (text: string | undefined) => JSON.parse(text ?? 'null') as string[];
  return {
    env,
    cmd: json(instruction('CMD').at(-1)),
    healthcheck: json(/CMD (\[.*\])$/.exec(instruction('HEALTHCHECK').at(-1) ?? '')?.[1]),
    workdir: instruction('WORKDIR').at(-1) ?? '/',
  };
}

/** Runs an image's command here: `node` is this Node.js, the working directory the project unless given. */
export function run(command: string[], env: Record<string, string>, cwd = ROOT) {
  const [file = '', ...args] = command;
  return spawn(file === 'node' ? process.execPath : file, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface ComposeService {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
}

/** compose.yaml with `${NAME}`, `${NAME:-default}` and `${NAME:?message}` filled in from `vars`, as Compose does. */
export function composeOf(vars: Record<string, string>): { services: Record<string, ComposeService> } {
  const text = readFileSync(join(ROOT, 'compose.yaml'), 'utf8').replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_whole, name: string, kind: string | undefined, fallback: string | undefined) => {
      const value = vars[name];
      if (value) return value;
      if (kind === '?') throw new Error(`compose.yaml: ${name} is required: ${fallback}`);
      return kind === '-' ? (fallback ?? '') : '';
    },
  );
  return parse(text);
}
