import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createHash, createPublicKey } from 'node:crypto';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { installSteps } from '@nines/shared';
import { startWorld } from './helpers.ts';

// The Linux one-liner from the dashboard, run by sh for real: curl fetches a real standalone linux-x64
// executable (agent/build.mjs --standalone: Node's SEA on this machine's node, the same recipe as --cross,
// which would fetch three Node builds and take minutes) from a collector on loopback, sha256sum -c checks
// it, and it enrolls. `sudo` is a stand-in that runs its arguments (the test runs as whoever runs tap);
// the last step, install, gets `--root DIR --platform linux`, so it writes the unit under DIR, runs no systemctl.
const run = promisify(execFile);
const agentDir = fileURLToPath(new URL('../../../agent/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'nines-oneliner-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const downloads = join(work, 'downloads');
mkdirSync(downloads);
const exe = join(downloads, 'nines-agent-linux-x64');
await run(process.execPath, [join(agentDir, 'build.mjs'), '--standalone', exe], { timeout: 180_000 });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(exe)}  nines-agent-linux-x64\n`);
const bin = join(work, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'sudo'), '#!/bin/sh\n# stand-in for sudo: this test does not install a system service\nexec "$@"\n');
chmodSync(join(bin, 'sudo'), 0o755);

if (process.arch !== 'x64' || process.platform !== 'linux') throw new Error('this test runs the linux-x64 one-liner; it needs a linux-x64 machine');

function sh(line: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });
}

t.test('the Linux one-liner downloads, verifies, enrolls and installs with one token', async (t) => {
  const w = await startWorld({ app: { downloadsDir: downloads } });
  t.teardown(w.c.close);
  const { status, body } = await w.admin.json<{ token: string; commands: { linux: string } }>('POST', '/api/v1/enrollment-tokens', { clientId: w.acme });
  t.equal(status, 201);
  const steps = installSteps('linux', w.c.url, body.token);
  t.equal(body.commands.linux, steps.join(' && '), 'the dialog shows the shared function\'s line');

  const root = join(work, 'root');
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  const line = `${body.commands.linux} --root ${root} --platform linux`;
  // enroll's state dir is install's (/var/lib/nines-agent under --root): install then keeps that identity.
  const ran = await sh(line, { TMPDIR: tmp, NINES_AGENT_STATE_DIR: join(root, 'var/lib/nines-agent') });
  t.equal(ran.code, 0, ran.stderr);
  t.match(ran.stdout, /nines-agent-linux-x64: OK/, 'sha256sum -c checked the download');
  t.match(ran.stdout, /enrolled as agent [\w-]+; identity in/);
  t.match(ran.stdout, /keeping the existing identity/, 'install reused what enroll wrote, the token was spent once');
  t.match(ran.stdout, /nines-agent installed: agent [\w-]+, systemd service/);
  t.ok(existsSync(join(root, 'var/lib/nines-agent/identity.json')));
  t.match(readFileSync(join(root, 'etc/systemd/system/nines-agent.service'), 'utf8'), /ExecStart=\/opt\/nines-agent\/nines-agent run/);
  // The privileged upgrader comes with it: units, request directory, and the collector's key pinned for root.
  t.match(readFileSync(join(root, 'etc/systemd/system/nines-agent-upgrade.path'), 'utf8'), /^DirectoryNotEmpty=\/var\/lib\/nines-agent-upgrade\/requests$/m);
  t.match(readFileSync(join(root, 'etc/systemd/system/nines-agent-upgrade.service'), 'utf8'), /^ExecStart=\/opt\/nines-agent\/nines-agent upgrade --apply-request /m);
  const pinned = createPublicKey(readFileSync(join(root, 'etc/nines-agent/upgrade-key.pem'), 'utf8')).export({ type: 'spki', format: 'der' }).toString('base64');
  t.equal(pinned, w.c.app.nines.upgrade.signingKey.publicKey, 'the pinned key is the collector\'s');
  t.match(ran.stdout, /would run: chown root:root \/var\/lib\/nines-agent-upgrade \/etc\/nines-agent\/upgrade-key\.pem \/etc\/nines-agent/, 'made root\'s');
  t.match(ran.stdout, /would run: systemctl enable --now nines-agent-upgrade\.path/);
  t.equal((await w.c.store.listAgents()).filter((a) => a.clientId === w.acme).length, 2, 'the token enrolled a second acme agent');
});

t.test('a download that does not match SHA256SUMS is never run: the token stays unused', async (t) => {
  const tampered = join(work, 'tampered');
  mkdirSync(tampered);
  writeFileSync(join(tampered, 'nines-agent-linux-x64'), readFileSync(exe));
  appendFileSync(join(tampered, 'nines-agent-linux-x64'), 'x');
  writeFileSync(join(tampered, 'SHA256SUMS'), `${sha(exe)}  nines-agent-linux-x64\n`);
  const w = await startWorld({ app: { downloadsDir: tampered } });
  t.teardown(w.c.close);
  const { body } = await w.admin.json<{ token: string; commands: { linux: string } }>('POST', '/api/v1/enrollment-tokens', { clientId: w.acme });
  const state = join(work, 'state-tampered');
  const ran = await sh(body.commands.linux, { TMPDIR: mkdtempSync(join(work, 'tmp-')), NINES_AGENT_STATE_DIR: state });
  t.not(ran.code, 0);
  t.match(ran.stdout + ran.stderr, /nines-agent-linux-x64: FAILED/);
  t.notOk(existsSync(join(state, 'identity.json')));
  t.equal((await w.c.store.listAgents()).filter((a) => a.clientId === w.acme).length, 1, 'nobody enrolled');
});

t.test('the check step fails for a file SHA256SUMS has no line for (arm64 here)', async (t) => {
  const w = await startWorld({ app: { downloadsDir: downloads } });
  t.teardown(w.c.close);
  const { body } = await w.admin.json<{ token: string }>('POST', '/api/v1/enrollment-tokens', { clientId: w.acme });
  const steps = installSteps('linux', w.c.url, body.token);
  // The check step alone, for a name the sums do not list.
  const ran = await sh(`cd ${mkdtempSync(join(work, 'tmp-'))} && f=nines-agent-linux-arm64 && touch "$f" && ${steps[3]}`, {});
  t.not(ran.code, 0);
  t.match(ran.stderr, /no properly formatted/);
});

t.test('a Host header no shell could take gets 400 and no token', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const payload = JSON.stringify({ clientId: w.acme });
    const req = request(`${w.c.url}/api/v1/enrollment-tokens`, {
      method: 'POST',
      headers: { host: "evil$(reboot)", cookie: w.admin.cookie, 'x-nines-csrf': w.admin.csrf, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (r) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c));
      r.on('end', () => resolve({ status: r.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
  t.equal(res.status, 400);
  t.match(JSON.parse(res.body), { code: 'NINES_ERR_BAD_REQUEST', message: /collector URL/ });
});
