// Checks the message catalogs (src/i18n/messages/<locale>.json) against each other and against the
// code that uses them: every language has exactly the English keys, every message is valid ICU
// MessageFormat with the plural cases of its language, using the same arguments as the English one, and every key appears in the
// sources. `npm run build` refuses catalogs with a problem; the test suite runs it too.
//
//   node scripts/check-catalogs.js [root]    prints each problem and exits 1 if there is any
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import MessageFormat from '@messageformat/core';
import { parse } from '@messageformat/parser';

const SOURCE = /\.ts$/;
const NOT_SOURCE = /\.test\.ts$/;

/** The names of a message's arguments, found anywhere in it (inside plurals too). */
function argumentsOf(tokens, names = new Set()) {
  for (const token of tokens) {
    if (token.type === 'content' || token.type === 'octothorpe') continue;
    names.add(token.arg);
    for (const branch of token.cases ?? []) argumentsOf(branch.tokens, names);
  }
  return names;
}

const sameSet = (a, b) => a.size === b.size && [...a].every((item) => b.has(item));

/** Every problem with the catalogs under `root`, as lines to print; none when all is well. */
export function catalogProblems(root = '.') {
  const dir = join(root, 'src/i18n/messages');
  const catalogs = Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8'))]),
  );
  const english = catalogs.en;
  if (!english) return [`${dir}: no English catalog (en.json)`];
  const problems = [];
  const englishArguments = {};
  for (const [locale, catalog] of Object.entries(catalogs)) {
    const format = new MessageFormat(locale);
    for (const key of Object.keys(english)) if (!(key in catalog)) problems.push(`${locale}: missing "${key}"`);
    for (const [key, message] of Object.entries(catalog)) {
      if (!(key in english)) {
        problems.push(`${locale}: "${key}" is not in the English catalog`);
        continue;
      }
      let names;
      try {
        // Compiling checks the plural cases too: Arabic has "two", German ordinals only "other".
        format.compile(message);
        names = argumentsOf(parse(message, { strict: false }));
      } catch (error) {
        problems.push(`${locale}: "${key}" is not valid ICU MessageFormat: ${error.message}`);
        continue;
      }
      englishArguments[key] ??= argumentsOf(parse(english[key], { strict: false }));
      if (!sameSet(names, englishArguments[key])) {
        problems.push(
          `${locale}: "${key}" uses {${[...names].join(', ')}}, the English one {${[...englishArguments[key]].join(', ')}}`,
        );
      }
    }
  }
  const sources = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
  for (const key of Object.keys(english)) {
    if (!sources.includes(`'${key}'`))
      problems.push(`en: "${key}" is used nowhere in ${relative('.', join(root, 'src')) || 'src'}`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = catalogProblems(process.argv[2]);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the message catalogs.`);
    process.exit(1);
  }
}
