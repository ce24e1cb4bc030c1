/** The request file's pure parts and the agent's writer: a version and nothing else, on both sides. */
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REQUEST_BYTES, parseRequest, REQUEST_FILE, takeRequest, writeRequest } from '../../src/upgrade/request.ts';
import { probePath } from '../../src/upgrade/probe-version.ts';
import { UpgradeErrors } from '../../src/upgrade/errors.ts';

t.test('parseRequest takes a version, trimmed, and refuses everything else with BAD_REQUEST', async (t) => {
  t.equal(parseRequest(Buffer.from('1.2.3\n')), '1.2.3');
  t.equal(parseRequest(Buffer.from('  2.0.0-rc.1  ')), '2.0.0-rc.1');
  for (const bad of ['', 'latest', '../../etc/passwd', '1.2', '1.2.3; rm -rf /', '1.2.3\n4.5.6', 'x'.repeat(MAX_REQUEST_BYTES + 1)]) {
    t.throws(() => parseRequest(Buffer.from(bad)), { code: UpgradeErrors.BAD_REQUEST }, JSON.stringify(bad.slice(0, 20)));
  }
});

t.test('writeRequest writes one line by rename (no temp file left); a non-version is refused and writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-request-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeRequest(dir, '3.4.5');
  t.same(readdirSync(dir), [REQUEST_FILE]);
  t.equal(readFileSync(join(dir, REQUEST_FILE), 'utf8'), '3.4.5\n');
  t.throws(() => writeRequest(dir, '../x'), { code: UpgradeErrors.BAD_REQUEST });
  t.same(readdirSync(dir), [REQUEST_FILE], 'nothing else written');
  // Taken without the parent check (a temp dir's parent is /tmp, sticky but world-writable): version out, directory empty.
  t.same(takeRequest(dir, { checkParent: false }), { version: '3.4.5', removed: [] });
  t.same(readdirSync(dir), []);
  t.same(takeRequest(dir, { checkParent: false }), { version: null, removed: [] }, 'nothing requested');
  t.throws(() => takeRequest(join(dir, 'absent'), { checkParent: false }), { code: UpgradeErrors.BAD_REQUEST, message: /cannot read the request directory .*absent.*install/ });
  t.throws(() => takeRequest(join(dir, 'absent'), { checkParent: true }), { code: UpgradeErrors.BAD_REQUEST, message: /there is no request directory .*absent/ });
  t.throws(() => takeRequest(dir, { checkParent: true }), { code: UpgradeErrors.BAD_REQUEST, message: /must belong to root and be writable by nobody else/ }, 'a parent others may write is refused');
});

t.test('the probe copy keeps the extension node and Windows go by', async (t) => {
  t.equal(probePath('/opt/nines-agent/nines-agent.mjs'), '/opt/nines-agent/nines-agent.probe.mjs');
  t.equal(probePath('/opt/nines-agent/nines-agent'), '/opt/nines-agent/nines-agent.probe');
  t.equal(probePath('C:\\Program Files\\Nines Agent\\nines-agent.exe'), 'C:\\Program Files\\Nines Agent\\nines-agent.probe.exe');
});
