// The functions that took the most CPU themselves (self time), summed over every .cpuprofile
// in a directory (one per process, as `node --cpu-prof` writes them) and by function and file,
// so that a closure made per call counts once. Usage: node --import tsx bench/cpu-profile-top.ts DIR [N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const [dir, top = '25'] = process.argv.slice(2);
if (!dir) throw new Error('usage: cpu-profile-top.ts DIR [N]');

const selfMicros = new Map<string, number>();
let totalMicros = 0;
for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const names = new Map(
    profile.nodes.map(({ id, callFrame: { functionName, url, lineNumber } }) => [
      id,
      `${functionName || '(anonymous)'}  ${url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\//, '')}${url ? `:${lineNumber + 1}` : ''}`,
    ]),
  );
  // Each sample's time is the delta recorded with the next one.
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const name = names.get(id) ?? '?';
    selfMicros.set(name, (selfMicros.get(name) ?? 0) + micros);
    totalMicros += micros;
  });
}

const ranked = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`self time, ${(totalMicros / 1e6).toFixed(2)} s sampled in all`);
for (const [name, micros] of ranked) {
  console.log(
    `${(micros / 1000).toFixed(0).padStart(8)} ms ${((micros / totalMicros) * 100).toFixed(1).padStart(5)} %  ${name}`,
  );
}
