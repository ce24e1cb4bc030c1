/** tools/check-promises.mjs finds each kind of promise used as a value, and nothing in code that awaits. */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'misused.ts');

t.test('every marked line of the fixture, and no other, with its rule', async (t) => {
  const run = spawnSync(process.execPath, [join(here, '..', 'check-promises.mjs'), join(here, 'fixtures', 'tsconfig.json')], { encoding: 'utf8', cwd: join(here, '..', '..') });
  t.equal(run.status, 1, 'exits 1 when it finds any');
  const found = run.stdout.trim().split('\n').map((line) => {
    const [, lineNo, rule] = /misused\.ts:(\d+): (\w+):/.exec(line) ?? [];
    return `${lineNo}:${rule}`;
  });
  // Expected from the fixture's own markers: a line ending in `// <rule>` inside the misused function.
  const lines = readFileSync(fixture, 'utf8').split('\n');
  const end = lines.findIndex((l) => l.startsWith('export async function fine'));
  const expected = lines.slice(0, end).flatMap((l, i) => {
    const marker = / \/\/ (floating|condition|callback|argument|template|property|throws|comparison)$/.exec(l);
    return marker ? [`${i + 1}:${marker[1]}`] : [];
  });
  t.equal(expected.length, 10, 'the fixture marks ten uses');
  t.same(found, expected);
  t.match(run.stderr, /10 promise\(s\) used as values/);
});

t.test('an unreadable config is an error, not a pass', async (t) => {
  const run = spawnSync(process.execPath, [join(here, '..', 'check-promises.mjs'), join(here, 'fixtures', 'missing.json')], { encoding: 'utf8' });
  t.not(run.status, 0);
  t.match(run.stderr, /missing\.json/);
});
