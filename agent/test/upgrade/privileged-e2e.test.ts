/**
 * The privileged upgrader with real processes and real users (issue 19): the agent runs as `nobody` (setpriv),
 * from a root-owned program file, with a real collector on loopback that publishes a newer stamped build and has
 * automatic upgrades on. The agent can only write a request; the applier (`upgrade --apply-request`, run here
 * as root the way nines-agent-upgrade.service runs it) installs the build, its restart command stops the agent
 * and a supervisor starts whatever is at the program file again (as systemd's Restart= would), and the new
 * version connects. Forged requests are refused with the installed file untouched; the agent user cannot write
 * the pinned key, the program or the request directory's parent. The layout and modes are the ones `install`
 * sets (agent/src/service/upgrader.linux.ts; its commands are checked in test/service/install.test.ts).
 */
import t, { type Test } from 'tap';
import { createHash, createPublicKey } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../collector/test/helpers/collector.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';
import { Child, waitUntil } from '../../../e2e/helpers/processes.ts';
import { enroll, writeIdentity } from '../../src/identity.ts';
import { AGENT_VERSION } from '../../src/version.ts';
import { readConnectedMarker } from '../../src/upgrade/marker.ts';
import { UpgradeErrors } from '../../src/upgrade/errors.ts';
import { probePath } from '../../src/upgrade/probe-version.ts';
import { MAX_REQUEST_BYTES, REQUEST_FILE } from '../../src/upgrade/request.ts';
import { buildAgentBundle, nextPatch } from './bundle.ts';

if (process.getuid?.() !== 0) throw new Error('this test runs the upgrader as root and the agent as nobody: run it as root (CI does)');
const NOBODY = 65534;
const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'];

const root = mkdtempSync(join(tmpdir(), 'nines-priv-upgrade-'));
chmodSync(root, 0o755); // nobody must reach the program and its state below
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NEW_VERSION = nextPatch(AGENT_VERSION);
const oldBundle = join(root, 'old.mjs');
const newBundle = join(root, 'new.mjs');
const built = Promise.all([buildAgentBundle(oldBundle, AGENT_VERSION), buildAgentBundle(newBundle, NEW_VERSION)]);

function run(file: string, args: string[], timeout = 240_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** As install lays it out: program, key and the request directory's parent root's; state and requests nobody's. */
async function rig(t: Test, automatic: boolean, published?: Buffer) {
  await built;
  const dir = mkdtempSync(join(root, 'case-'));
  chmodSync(dir, 0o755);
  const downloads = join(dir, 'exe');
  mkdirSync(downloads);
  const build = published ?? readFileSync(newBundle);
  writeFileSync(join(downloads, 'nines-agent-linux-x64'), build);
  writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(build)}  nines-agent-linux-x64\n`);
  writeFileSync(join(downloads, 'VERSION'), NEW_VERSION + '\n');
  const collector = await startCollector({ app: { downloadsDir: downloads, upgrade: { automatic } } });

  const programDir = join(dir, 'opt');
  const target = join(programDir, 'nines-agent.mjs');
  const stateDir = join(dir, 'state');
  const requestParent = join(dir, 'upgrade');
  const requestDir = join(requestParent, 'requests');
  const etc = join(dir, 'etc');
  const keyFile = join(etc, 'upgrade-key.pem');
  for (const d of [programDir, requestParent, etc]) mkdirSync(d, { mode: 0o755 });
  copyFileSync(oldBundle, target);
  chmodSync(target, 0o755);
  const identity = await enroll(collector.url, await createEnrollToken(collector.store, 'acme', Date.now()), Date.now(), 'pc-priv');
  writeIdentity(stateDir, identity);
  writeFileSync(keyFile, createPublicKey({ key: Buffer.from(identity.signingKey!, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  mkdirSync(requestDir, { mode: 0o700 });
  for (const d of [stateDir, requestDir]) chownSync(d, NOBODY, NOBODY);
  for (const f of readdirSync(stateDir)) chownSync(join(stateDir, f), NOBODY, NOBODY);

  // The supervisor: the agent as nobody, started again whenever it exits (Restart= of the service).
  const children: Child[] = [];
  const pidFile = join(dir, 'agent.pid');
  let stopping = false;
  const start = () => {
    const child = new Child('agent', spawn(asNobody[0]!, [...asNobody.slice(1), process.execPath, target, 'run', '--state-dir', stateDir, '--upgrade-request-dir', requestDir], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH!, NINES_LOG_LEVEL: 'info' },
    }));
    children.push(child);
    writeFileSync(pidFile, String(child.process.pid));
    void child.exited.then(() => { if (!stopping) start(); });
  };
  // What the unit's `systemctl restart nines-agent` does here: stop the agent; the supervisor starts the file now in place.
  const restartLog = join(dir, 'restarts.log');
  const restartScript = join(dir, 'restart.sh');
  writeFileSync(restartScript, `#!/bin/sh\necho restart >> '${restartLog}'\nkill "$(cat '${pidFile}')"\n`, { mode: 0o700 });
  const restarts = () => (existsSync(restartLog) ? readFileSync(restartLog, 'utf8').split('\n').filter(Boolean).length : 0);
  t.teardown(async () => {
    stopping = true;
    for (const child of children) await child.stop();
    await collector.close();
  });
  const apply = (...extra: string[]) => run(process.execPath, [
    target, 'upgrade', '--apply-request', '--state-dir', stateDir, '--request-dir', requestDir, '--key-file', keyFile, '--agent-file', target,
    '--restart-command', restartScript, '--connect-timeout', '60s', ...extra,
  ]);
  return { collector, identity, stateDir, requestDir, requestParent, keyFile, target, programDir, build, start, children, apply, restarts };
}

t.test('request → applied → the new version connects: the agent (nobody) asks, root installs', async (t) => {
  const r = await rig(t, true);
  r.start();
  await waitUntil('the old agent to connect', () => (readConnectedMarker(r.stateDir)?.version === AGENT_VERSION ? true : undefined), 60_000);
  const request = join(r.requestDir, REQUEST_FILE);
  await waitUntil('the agent to write its upgrade request', () => (existsSync(request) ? true : undefined), 20_000);
  t.equal(statSync(request).uid, NOBODY, 'written by the unprivileged agent');
  t.equal(readFileSync(request, 'utf8').trim(), NEW_VERSION, 'naming the announced version');
  t.equal(sha(readFileSync(r.target)), sha(readFileSync(oldBundle)), 'the agent did not (could not) touch its program');

  const applied = await r.apply();
  t.comment(applied.stdout + applied.stderr);
  t.equal(applied.code, 0, 'the applier exits 0');
  t.match(applied.stdout, new RegExp(`upgraded to ${NEW_VERSION.replaceAll('.', '\\.')}`));
  t.equal(r.restarts(), 1, 'one restart');
  t.equal(sha(readFileSync(r.target)), sha(r.build), 'the signed build is the program now');
  t.equal(sha(readFileSync(`${r.target}.previous`)), sha(readFileSync(oldBundle)), 'the old one kept as .previous');
  t.same(readdirSync(r.requestDir), [], 'the request is gone');
  t.notOk(existsSync(probePath(r.target)) || existsSync(`${r.target}.new`), 'nothing staged left over');
  const program = statSync(r.target);
  t.same([program.uid, program.mode & 0o777], [0, 0o755], 'still root\'s, not writable by the agent user');
  t.equal(readConnectedMarker(r.stateDir)?.version, NEW_VERSION, 'the new version connected');
  await waitUntil('the collector to see the new version', async () => ((await r.collector.store.getAgent(r.identity.agentId))?.agentVersion === NEW_VERSION ? true : undefined), 10_000);
  const current = r.children.at(-1)!;
  t.ok(current.running, 'the restarted agent keeps running');
  t.equal(readConnectedMarker(r.stateDir)?.pid, current.process.pid, 'as the process the supervisor started after the restart');
});

t.test('a signed build that never connects is rolled back by the upgrader: the old program is back and connects', async (t) => {
  // Says the requested version, then never speaks to the collector (reconstructed for this test).
  const silent = Buffer.from(`#!/usr/bin/env node\nif (process.argv.includes('--version')) { console.log('${NEW_VERSION}'); process.exit(0); }\nsetInterval(() => {}, 1000);\n`);
  const r = await rig(t, true, silent);
  r.start();
  await waitUntil('the old agent to connect', () => (readConnectedMarker(r.stateDir)?.version === AGENT_VERSION ? true : undefined), 60_000);
  await waitUntil('the agent to write its upgrade request', () => (existsSync(join(r.requestDir, REQUEST_FILE)) ? true : undefined), 20_000);
  const applied = await r.apply('--connect-timeout', '3s');
  t.comment(applied.stdout + applied.stderr);
  t.equal(applied.code, 1, 'the applier exits 1');
  t.match(applied.stderr, UpgradeErrors.ROLLED_BACK);
  t.match(applied.stderr, /did not connect to the collector within 3 s/);
  t.equal(r.restarts(), 2, 'restarted into the new build, then into the old one');
  t.equal(sha(readFileSync(r.target)), sha(readFileSync(oldBundle)), 'the old build is the program again');
  t.equal(sha(readFileSync(`${r.target}.failed`)), sha(silent), 'the refused build kept aside as .failed');
  t.equal(readConnectedMarker(r.stateDir)?.version, AGENT_VERSION, 'the old version connected again');
  t.equal(readConnectedMarker(r.stateDir)?.pid, r.children.at(-1)!.process.pid, 'from the process started after the rollback');
  // The old agent hears of the same build again at its reconnect: it says it tried that one and asks nothing.
  await (await r.children.at(-1))!.waitForOutput(/automatic upgrade to this version was tried before/, 20_000);
  t.same(readdirSync(r.requestDir), [], 'and it does not ask again for the version that failed');
});

t.test('forged requests are refused, logged and removed; the installed file is untouched and nothing restarts', async (t) => {
  const r = await rig(t, false); // no agent running: only the applier and what nobody put in the directory
  const installed = readFileSync(r.target);
  const mtime = statSync(r.target).mtimeMs;
  const write = (script: string) => run(asNobody[0]!, [...asNobody.slice(1), 'sh', '-c', script]);
  const cases: { name: string; plant: () => Promise<unknown>; code: string; message: RegExp }[] = [
    { name: 'a version the signed build is not', plant: () => write(`printf 9.9.9 > '${r.requestDir}/request'`), code: UpgradeErrors.VERSION_MISMATCH, message: new RegExp(`is version ${NEW_VERSION.replaceAll('.', '\\.')}, not the requested 9\\.9\\.9`) },
    { name: 'the installed version (no downgrade or reinstall by request)', plant: () => write(`printf ${AGENT_VERSION} > '${r.requestDir}/request'`), code: UpgradeErrors.VERSION_MISMATCH, message: /is not newer than the installed/ },
    { name: 'path traversal', plant: () => write(`printf '../../../etc/passwd' > '${r.requestDir}/request'`), code: UpgradeErrors.BAD_REQUEST, message: /not a version/ },
    { name: 'a huge file', plant: () => write(`head -c ${16 * 1024 * 1024} /dev/zero > '${r.requestDir}/request'`), code: UpgradeErrors.BAD_REQUEST, message: new RegExp(`${16 * 1024 * 1024} bytes, more than the ${MAX_REQUEST_BYTES} it can be: refused unread`) },
    { name: 'a symlink to a root-only file', plant: () => write(`ln -s /etc/shadow '${r.requestDir}/request'`), code: UpgradeErrors.BAD_REQUEST, message: /symbolic link/ },
    { name: 'a hard link', plant: () => write(`printf ${NEW_VERSION} > '${r.stateDir}/mine' && ln '${r.stateDir}/mine' '${r.requestDir}/request'`), code: UpgradeErrors.BAD_REQUEST, message: /2 hard links: refused/ },
    { name: 'a FIFO', plant: () => write(`mkfifo '${r.requestDir}/request'`), code: UpgradeErrors.BAD_REQUEST, message: /not a plain file/ },
  ];
  for (const c of cases) {
    await c.plant();
    t.ok(existsSync(join(r.requestDir, 'request')) || readdirSync(r.requestDir).includes('request'), `${c.name}: planted`);
    const applied = await r.apply();
    t.not(applied.code, 0, `${c.name}: refused (exit ${applied.code})`);
    t.match(applied.stderr, c.code, `${c.name}: ${c.code}`);
    t.match(applied.stderr, c.message, `${c.name}: says why`);
    t.same(readdirSync(r.requestDir), [], `${c.name}: the request is removed`);
    t.equal(sha(readFileSync(r.target)), sha(installed), `${c.name}: installed file untouched`);
    t.equal(statSync(r.target).mtimeMs, mtime, `${c.name}: not even rewritten`);
    t.notOk(existsSync(`${r.target}.previous`) || existsSync(`${r.target}.new`) || existsSync(probePath(r.target)), `${c.name}: nothing staged`);
  }
  t.equal(r.restarts(), 0, 'no restart for any of them');
  t.ok(existsSync('/etc/shadow'), 'the symlink\'s target is still there');

  // A key the agent user could have rewritten is not trusted, even for a good request.
  chownSync(r.keyFile, NOBODY, NOBODY);
  await write(`printf ${NEW_VERSION} > '${r.requestDir}/request'`);
  const loose = await r.apply();
  t.not(loose.code, 0);
  t.match(loose.stderr, new RegExp(`${UpgradeErrors.KEY_FILE}|must belong to root`));
  t.equal(sha(readFileSync(r.target)), sha(installed), 'installed file untouched');
  chownSync(r.keyFile, 0, 0);

  // A request directory whose parent the agent user could change is not looked into.
  chownSync(r.requestParent, NOBODY, NOBODY);
  await write(`printf ${NEW_VERSION} > '${r.requestDir}/request'`);
  const parent = await r.apply();
  t.not(parent.code, 0);
  t.match(parent.stderr, /must belong to root/);
  t.equal(sha(readFileSync(r.target)), sha(installed), 'installed file untouched');
  chownSync(r.requestParent, 0, 0);

  // An identity swapped for a link to a root-only file is not read through (nor quoted in the refusal).
  const identityFile = join(r.stateDir, 'identity.json');
  const identityText = readFileSync(identityFile);
  await write(`mv '${identityFile}' '${identityFile}.saved' && ln -s /etc/shadow '${identityFile}' && printf ${NEW_VERSION} > '${r.requestDir}/request'`);
  const linked = await r.apply();
  t.not(linked.code, 0);
  t.match(linked.stderr, /identity\.json is a symbolic link: refused/);
  t.notMatch(linked.stdout + linked.stderr, /root:/, 'nothing of /etc/shadow in the output');
  t.equal(sha(readFileSync(r.target)), sha(installed), 'installed file untouched');
  t.same(readdirSync(r.requestDir), [], 'the request is removed first, so the path unit does not fire again and again');
  rmSync(identityFile);
  writeFileSync(identityFile, identityText);

  // Nothing requested: a no-op that says so.
  rmSync(join(r.requestDir, 'request'), { force: true });
  const idle = await r.apply();
  t.equal(idle.code, 0);
  t.match(idle.stdout, /no upgrade requested/);
});

t.test('the agent user cannot write the pinned key, the program, or what holds the request directory', async (t) => {
  const r = await rig(t, false);
  for (const [path, want] of [[r.keyFile, 0o644], [r.target, 0o755], [r.programDir, 0o755], [r.requestParent, 0o755]] as const) {
    const stat = statSync(path);
    t.same([stat.uid, stat.mode & 0o777], [0, want], `${path}: root's, mode ${want.toString(8)}`);
  }
  const requests = statSync(r.requestDir);
  t.same([requests.uid, requests.mode & 0o777], [NOBODY, 0o700], 'the request directory is the agent user\'s');
  const tryAs = (script: string) => run(asNobody[0]!, [...asNobody.slice(1), 'sh', '-c', script]);
  const attempts = {
    'rewrite the key': `echo forged > '${r.keyFile}'`,
    'append to the program': `echo 'process.exit(0)' >> '${r.target}'`,
    'put a file beside the program': `touch '${r.programDir}/nines-agent.mjs.new'`,
    'move the program aside': `mv '${r.target}' '${r.target}.gone'`,
    'replace the request directory with a symlink': `mv '${r.requestDir}' '${r.requestDir}.old' && ln -s /etc '${r.requestDir}'`,
    'put a file beside the key': `touch '${r.keyFile}.new'`,
  };
  const key = readFileSync(r.keyFile);
  const program = readFileSync(r.target);
  for (const [what, script] of Object.entries(attempts)) {
    const tried = await tryAs(script);
    t.not(tried.code, 0, `${what}: denied`);
    t.match(tried.stderr, /Permission denied|Operation not permitted/, `${what}: by the file system`);
  }
  t.same(readFileSync(r.keyFile), key, 'key unchanged');
  t.same(readFileSync(r.target), program, 'program unchanged');
  t.ok(statSync(r.requestDir).isDirectory() && !existsSync(`${r.requestDir}.old`), 'request directory still the real one');
  // The control: the same user can write its own request, so the denials above are the modes, not a broken setpriv.
  const own = await tryAs(`printf ${NEW_VERSION} > '${r.requestDir}/request'`);
  t.equal(own.code, 0, 'the agent user can write its request');
});
