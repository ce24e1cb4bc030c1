/**
 * Every refusal of `nines-agent upgrade` leaves the installed agent untouched and never restarts anything
 * (issue 19): bad signature (SHA256SUMS swapped in transit, or signed by another key than the pinned one),
 * wrong hash (the file swapped in transit), a truncated download, an unknown platform, no pinned key, and
 * `--check`, which verifies and changes nothing. A real collector on loopback publishes a real signed build; a
 * loopback proxy in front of it plays the man in the middle. The command itself is run through the CLI for the
 * cases it decides (no key, a different pinned key).
 */
import t, { type Test } from 'tap';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startCollector } from '../../../collector/test/helpers/collector.ts';
import { createEnrollToken } from '../../../collector/src/commands/enroll-token.ts';
import { enroll, readIdentity, writeIdentity, type AgentIdentity } from '../../src/identity.ts';
import { AGENT_VERSION } from '../../src/version.ts';
import { writeAnnouncement } from '../../src/upgrade/announcement.ts';
import { downloadRelease } from '../../src/upgrade/download.ts';
import { nodeSwapContext } from '../../src/upgrade/context.ts';
import { upgrade, type UpgradeResult } from '../../src/upgrade/upgrade.ts';
import { UpgradeErrors } from '../../src/upgrade/errors.ts';
import { main } from '../../src/cli.ts';
import { nextPatch } from './bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'nines-upgrade-refuse-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const NEW_VERSION = nextPatch(AGENT_VERSION);
// The "new build": a script, since nothing here runs it (the swap must not care what it is).
const BUILD = Buffer.from(`#!/usr/bin/env node\n// nines-agent ${NEW_VERSION} stand-in (reconstructed for this test)\nconsole.log('${NEW_VERSION}');\n`.repeat(200));
const INSTALLED = Buffer.from('#!/usr/bin/env node\n// the installed agent\n');

const downloads = join(root, 'exe');
mkdirSync(downloads);
writeFileSync(join(downloads, 'nines-agent-linux-x64'), BUILD);
writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(BUILD)}  nines-agent-linux-x64\n`);
writeFileSync(join(downloads, 'VERSION'), NEW_VERSION + '\n');
const collector = await startCollector({ app: { downloadsDir: downloads } });
t.teardown(() => collector.close());

type Tamper = (path: string, upstream: Buffer, res: ServerResponse) => boolean;
/** A loopback proxy to the collector; `tamper` may answer a path itself (true) instead of passing it on. */
async function proxy(tamper: Tamper): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(`${collector.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(parts);
        if (tamper(req.url!, body, res)) return;
        res.writeHead(answer.statusCode!, answer.headers);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** An enrolled agent's state dir (through the real enrollment) with the collector's announcement and an installed file. */
async function agentHere(collectorUrl = collector.url): Promise<{ stateDir: string; target: string; identity: AgentIdentity }> {
  const dir = mkdtempSync(join(root, 'agent-'));
  const stateDir = join(dir, 'state');
  const identity = { ...(await enroll(collector.url, await createEnrollToken(collector.store, 'acme', Date.now()), Date.now(), 'pc')), collectorUrl };
  writeIdentity(stateDir, identity);
  const announcement = await collector.app.nines.upgrade.updateFor(AGENT_VERSION);
  if (!announcement) throw new Error('the collector offers nothing newer');
  writeAnnouncement(stateDir, announcement);
  const target = join(dir, 'nines-agent.mjs');
  writeFileSync(target, INSTALLED, { mode: 0o755 });
  return { stateDir, target, identity };
}

/** The attempt's outcome still pending (the tests await or expect it to reject), and the restarts it asked for. */
async function attempt(a: { stateDir: string; target: string; identity: AgentIdentity }, overrides: { platform?: string; checkOnly?: boolean } = {}): Promise<{ outcome: Promise<UpgradeResult>; restarts: number[] }> {
  const restarts: number[] = [];
  const outcome = upgrade({
    identity: a.identity, announcement: JSON.parse(readFileSync(join(a.stateDir, 'update.json'), 'utf8')), currentVersion: AGENT_VERSION,
    platform: overrides.platform ?? 'linux', arch: 'x64', target: a.target, checkOnly: overrides.checkOnly ?? false, connectTimeoutMs: 1_000,
    download: downloadRelease, swap: nodeSwapContext(a.stateDir, async () => void restarts.push(1), () => {}),
  });
  return { outcome, restarts };
}

/** The installed file as it was, nothing beside it, no restart. */
function untouched(t: Test, a: { target: string }, restarts: number[]) {
  t.equal(readFileSync(a.target).toString(), INSTALLED.toString(), 'the installed agent is untouched');
  t.same(readdirSync(join(a.target, '..')).sort(), ['nines-agent.mjs', 'state'], 'no .new, .previous or .failed beside it');
  t.equal(restarts.length, 0, 'nothing restarted');
}

t.test('--check (checkOnly) verifies the genuine build and changes nothing', async (t) => {
  const a = await agentHere();
  const { outcome, restarts } = await attempt(a, { checkOnly: true });
  t.same(await outcome, { outcome: 'verified', version: NEW_VERSION, name: 'nines-agent-linux-x64', sha256: sha(BUILD) });
  untouched(t, a, restarts);
});

t.test('bad signature: SHA256SUMS swapped in transit for one matching an attacker\'s file', async (t) => {
  const evil = Buffer.from('#!/bin/sh\necho owned\n');
  const mitm = await proxy((path, _body, res) => {
    const forged = path === '/download/SHA256SUMS' ? `${sha(evil)}  nines-agent-linux-x64\n` : path === '/download/nines-agent-linux-x64' ? evil : null;
    if (forged === null) return false;
    res.end(forged);
    return true;
  });
  t.teardown(mitm.close);
  const a = await agentHere(mitm.url);
  const { outcome, restarts } = await attempt(a);
  await t.rejects(outcome, { code: UpgradeErrors.BAD_SIGNATURE });
  untouched(t, a, restarts);
});

t.test('bad signature: the genuine files, but the pinned key is another collector\'s', async (t) => {
  const a = await agentHere();
  a.identity.signingKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const { outcome, restarts } = await attempt(a);
  await t.rejects(outcome, { code: UpgradeErrors.BAD_SIGNATURE, message: /not signed by the collector key pinned at enrollment/ });
  untouched(t, a, restarts);
});

t.test('wrong hash: the file swapped in transit, the signed sums genuine', async (t) => {
  const mitm = await proxy((path, body, res) => {
    if (path !== '/download/nines-agent-linux-x64') return false;
    const changed = Buffer.from(body);
    changed[changed.length - 2] = changed[changed.length - 2]! ^ 1; // one bit
    res.end(changed);
    return true;
  });
  t.teardown(mitm.close);
  const a = await agentHere(mitm.url);
  const { outcome, restarts } = await attempt(a);
  await t.rejects(outcome, { code: UpgradeErrors.HASH_MISMATCH, message: new RegExp(`signed SHA256SUMS says ${sha(BUILD)}`) });
  untouched(t, a, restarts);
});

t.test('truncated download: the connection drops after half the announced length', async (t) => {
  const mitm = await proxy((path, body, res) => {
    if (path !== '/download/nines-agent-linux-x64') return false;
    res.writeHead(200, { 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return true;
  });
  t.teardown(mitm.close);
  const a = await agentHere(mitm.url);
  const { outcome, restarts } = await attempt(a);
  await t.rejects(outcome, { code: UpgradeErrors.TRUNCATED, message: new RegExp(`after ${Math.floor(BUILD.length / 2)} of ${BUILD.length} bytes`) });
  untouched(t, a, restarts);
});

t.test('unknown platform: no build is made for it, nothing is downloaded', async (t) => {
  const a = await agentHere();
  const { outcome, restarts } = await attempt(a, { platform: 'freebsd' });
  await t.rejects(outcome, { code: UpgradeErrors.UNKNOWN_PLATFORM, message: /no agent build exists for freebsd-x64/ });
  untouched(t, a, restarts);
});

t.test('no pinned key (an identity from before upgrades): refused with what to do; --pin-signing-key pins it once', async (t) => {
  const a = await agentHere();
  const { signingKey: _, ...old } = a.identity;
  writeIdentity(a.stateDir, old);
  const { outcome, restarts } = await attempt({ ...a, identity: old });
  await t.rejects(outcome, { code: UpgradeErrors.NO_KEY, message: /enroll again .*--pin-signing-key/ });
  untouched(t, a, restarts);

  // Through the CLI: the same refusal (exit 1, the installed file untouched)…
  const cli = (args: string[]) => main(['upgrade', '--state-dir', a.stateDir, '--agent-file', a.target, '--check', ...args]);
  t.equal(await cli([]), 1);
  untouched(t, a, restarts);
  // …a wrong key given to pin fails the check and is not kept…
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  t.equal(await cli(['--pin-signing-key', other]), 1, 'a key that did not sign the sums');
  t.equal(readIdentity(a.stateDir)?.signingKey, undefined, 'is not pinned');
  // …then the key from the collector's published PEM (saved as a file, as curl -o would) verifies and is pinned.
  const pemFile = join(root, 'signing-key.pem');
  writeFileSync(pemFile, await (await fetch(`${collector.url}/download/signing-key.pem`)).text());
  t.equal(await cli(['--pin-signing-key', pemFile]), 0);
  t.equal(readIdentity(a.stateDir)?.signingKey, a.identity.signingKey, 'the pinned key is the collector\'s, as enrollment would have pinned it');
  t.equal(await cli(['--pin-signing-key', other]), 1, 'a different key is not pinned over it');
  t.equal(readIdentity(a.stateDir)?.signingKey, a.identity.signingKey);
  untouched(t, a, restarts);
});

t.test('an agent already on the announced version does nothing', async (t) => {
  const a = await agentHere();
  const result = await upgrade({
    identity: a.identity, announcement: await collector.app.nines.upgrade.updateFor(AGENT_VERSION), currentVersion: NEW_VERSION, platform: 'linux', arch: 'x64',
    target: a.target, checkOnly: false, connectTimeoutMs: 1_000, download: () => Promise.reject(new Error('must not download')),
    swap: nodeSwapContext(a.stateDir, () => Promise.reject(new Error('must not restart')), () => {}),
  });
  t.same(result, { outcome: 'current', version: NEW_VERSION });
  t.ok(existsSync(a.target));
});

t.test('status shows the announced newer build and whether a key is pinned', async (t) => {
  const a = await agentHere();
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  let code: number;
  try {
    code = await main(['status', '--state-dir', a.stateDir, '--json']);
  } finally {
    process.stdout.write = write;
  }
  t.equal(code, 0);
  t.same(JSON.parse(printed.join('')).upgrade, { available: NEW_VERSION, automatic: false, signingKeyPinned: true });
});
