/**
 * `nines-agent upgrade` with real parts (issue 19): a real collector on loopback publishing a real build (the
 * agent bundle, one patch version up) with a real ed25519 signature, a real agent enrolled over HTTP (pinning
 * the key), run as a child process from an "installed" file that the upgrade swaps. The upgrade's restart
 * stops the child and starts whatever file is in place, as the service manager would. A good build connects
 * and stays; a build that never connects is rolled back and the old one runs and connects again.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../collector/test/helpers/collector.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';
import { Child, waitUntil } from '../../../e2e/helpers/processes.ts';
import { enroll, writeIdentity } from '../../src/identity.ts';
import { AGENT_VERSION } from '../../src/version.ts';
import { readAnnouncement } from '../../src/upgrade/announcement.ts';
import { readConnectedMarker } from '../../src/upgrade/marker.ts';
import { downloadRelease } from '../../src/upgrade/download.ts';
import { nodeSwapContext } from '../../src/upgrade/context.ts';
import { upgrade } from '../../src/upgrade/upgrade.ts';
import { buildAgentBundle, nextPatch } from './bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'nines-upgrade-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NEW_VERSION = nextPatch(AGENT_VERSION);
const oldBundle = join(root, 'old.mjs');
const newBundle = join(root, 'new.mjs');
const built = Promise.all([buildAgentBundle(oldBundle, AGENT_VERSION), buildAgentBundle(newBundle, NEW_VERSION)]);

/** A collector publishing `build` as NEW_VERSION for linux-x64, an agent enrolled with it and running from target. */
async function rig(t: Test, build: Buffer) {
  await built;
  const dir = mkdtempSync(join(root, 'case-'));
  const downloads = join(dir, 'exe');
  mkdirSync(downloads);
  writeFileSync(join(downloads, 'nines-agent-linux-x64'), build);
  writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(build)}  nines-agent-linux-x64\n`);
  writeFileSync(join(downloads, 'VERSION'), NEW_VERSION + '\n');
  const collector = await startCollector({ app: { downloadsDir: downloads } });
  const stateDir = join(dir, 'state');
  const identity = await enroll(collector.url, await createEnrollToken(collector.store, 'acme', Date.now()), Date.now(), 'pc-upgrade');
  writeIdentity(stateDir, identity);
  const target = join(dir, 'install', 'nines-agent.mjs');
  mkdirSync(join(dir, 'install'));
  copyFileSync(oldBundle, target);

  const children: Child[] = [];
  const start = () => {
    const child = new Child('agent', spawn(process.execPath, [target, 'run', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NINES_LOG_LEVEL: 'info' } }));
    children.push(child);
    return child;
  };
  const current = () => children.at(-1)!;
  const restarts: number[] = [];
  // What systemctl restart does for the test: stop the running agent, start the file now at the target.
  const restart = async () => {
    restarts.push(Date.now());
    await current().stop();
    start();
  };
  t.teardown(async () => {
    for (const child of children) await child.stop();
    await collector.close();
  });
  start();
  await waitUntil('the old agent to connect', () => (readConnectedMarker(stateDir)?.version === AGENT_VERSION ? true : undefined), 60_000);
  await waitUntil('the announcement of the new build', () => readAnnouncement(stateDir) ?? undefined, 10_000);
  const lines: string[] = [];
  const run = (connectTimeoutMs: number) => upgrade({
    identity, announcement: readAnnouncement(stateDir), currentVersion: AGENT_VERSION, platform: 'linux', arch: 'x64', target, checkOnly: false,
    connectTimeoutMs, download: downloadRelease, swap: nodeSwapContext(stateDir, restart, (l) => lines.push(l)),
  });
  return { collector, identity, stateDir, target, run, restarts, current, lines };
}

t.test('a signed newer build is installed, restarted, connects with its version, and the previous build is kept', async (t) => {
  await built;
  const build = readFileSync(newBundle);
  const r = await rig(t, build);
  t.match(readAnnouncement(r.stateDir), { version: NEW_VERSION, automatic: false, files: [{ name: 'nines-agent-linux-x64', sha256: sha(build) }] }, 'the running agent kept what the collector announced');

  const result = await r.run(60_000);
  t.comment(r.lines.join('\n'));
  t.equal(result.outcome, 'upgraded');
  t.equal(r.restarts.length, 1, 'one restart');
  t.same(result.outcome === 'upgraded' && result.swap.states, ['staged', 'swapped', 'restarted', 'connected']);
  t.equal(sha(readFileSync(r.target)), sha(build), 'the new build is the agent file');
  t.equal(sha(readFileSync(`${r.target}.previous`)), sha(readFileSync(oldBundle)), 'the old one kept as .previous');
  t.notOk(existsSync(`${r.target}.new`), 'nothing staged left over');
  t.equal(readConnectedMarker(r.stateDir)?.version, NEW_VERSION, 'the new agent wrote its connected marker');
  t.equal(readConnectedMarker(r.stateDir)?.pid, r.current().process.pid, 'from the restarted process');
  t.equal((await r.collector.store.getAgent(r.identity.agentId))?.agentVersion, NEW_VERSION, 'the collector saw the new version say hello');
  t.ok(r.current().running, 'and it keeps running');
});

t.test('a build that never connects is rolled back: the old file is back, runs and connects again', async (t) => {
  // Runs, but never speaks to the collector: the worst kind, a crash would at least be noticed by the service manager.
  const silent = Buffer.from(`#!/usr/bin/env node\n// a broken build (reconstructed for this test): starts and never connects\nsetInterval(() => {}, 1000);\n`);
  const r = await rig(t, silent);
  const timeoutMs = 3_000;
  const started = Date.now();
  const result = await r.run(timeoutMs);
  t.comment(r.lines.join('\n'));
  t.equal(result.outcome, 'rolled-back');
  t.ok(Date.now() - started >= timeoutMs, 'it waited the whole bound for the new build');
  t.equal(r.restarts.length, 2, 'restarted into the new build, then into the old one');
  t.same(result.outcome === 'rolled-back' && result.swap.states, ['staged', 'swapped', 'restarted', 'rolling-back', 'rolled-back']);
  t.match(result.outcome === 'rolled-back' && result.swap.reason, /did not connect to the collector within 3 s/);
  t.equal(sha(readFileSync(r.target)), sha(readFileSync(oldBundle)), 'the old build is the agent file again');
  t.equal(sha(readFileSync(`${r.target}.failed`)), sha(silent), 'the refused build is kept aside as .failed');
  t.notOk(existsSync(`${r.target}.previous`), '.previous moved back into place');
  t.equal(readConnectedMarker(r.stateDir)?.version, AGENT_VERSION, 'the old version connected again');
  t.equal(readConnectedMarker(r.stateDir)?.pid, r.current().process.pid, 'from the process started by the rollback');
  await waitUntil('the collector to see the agent connected', async () => ((await r.collector.store.getAgent(r.identity.agentId))?.connected ? true : undefined), 10_000);
  t.equal((await r.collector.store.getAgent(r.identity.agentId))?.agentVersion, AGENT_VERSION);
});
