import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DASHBOARD_DIR } from './helpers/world.ts';

// `npm run screenshots` refuses what it does not understand before it starts anything (no collector, no browser,
// nothing written); the run itself writes docs/screenshots, which no test may do, so only its arguments are tested.
const run = (...args: string[]) => spawnSync(process.execPath, ['--import=tsx', join(DASHBOARD_DIR, 'screenshots.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });

t.test('an unknown flag: exit 2, the flag named, the usage shown', async (t) => {
  const r = run('--outdir', '/tmp/x');
  t.equal(r.status, 2);
  t.match(r.stderr, /screenshots: .*--outdir/);
  t.match(r.stderr, /Usage: npm run screenshots/);
});

t.test('--out without a directory: exit 2', async (t) => {
  const r = run('--out');
  t.equal(r.status, 2);
  t.match(r.stderr, /--out/);
});

t.test('--help: the usage on stdout, exit 0', async (t) => {
  const r = run('--help');
  t.equal(r.status, 0);
  t.match(r.stdout, /overview-de\.png.*status-page\.png/s);
});
