import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildAgentBundle } from './bundle.ts';

const run = promisify(execFile);
const build = join(import.meta.dirname, '..', '..', 'build.mjs');

t.test('build.mjs --stamp: the bundle says the stamped version; a malformed one is refused and writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-stamp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.mjs');
  await buildAgentBundle(good, '3.4.5-rc.1');
  t.equal((await run(process.execPath, [good, '--version'])).stdout.trim(), '3.4.5-rc.1');
  const bad = join(dir, 'bad.mjs');
  const failed = await run(process.execPath, [build, '--stamp=latest', bad]).then(() => null, (error: { code: number; stderr: string }) => error);
  t.ok(failed && failed.code !== 0, 'exits non-zero');
  t.match(failed?.stderr, /--stamp wants a version such as 1\.2\.3, not "latest"/);
  t.notOk(existsSync(bad), 'nothing written');
});
