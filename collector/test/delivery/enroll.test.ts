import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { statSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { hashSecret } from '../../src/auth/secrets.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { ENROLL_ATTEMPTS_PER_MINUTE } from '../../src/http/routes/enroll.ts';
import { startCollector, tempDir } from './helpers.ts';
import { closed, hello, nextMessage } from '../helpers/collector.ts';
import { rawAll, rawGet } from '../helpers/raw-sql.ts';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const COLLECTOR = join(root, 'collector', 'bin', 'nines-collector.mjs');
const AGENT = join(root, 'agent', 'bin', 'nines-agent.mjs');
const env = { ...process.env, NINES_LOG_LEVEL: 'silent' };

async function enroll(url: string, token: string) {
  const response = await request(`${url}/api/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, hostname: 'pc-01', platform: 'linux', agentVersion: 'test' }),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, string> };
}

t.test('a token enrolls exactly one agent; reuse, expiry and unknown tokens are refused with their codes', async (t) => {
  let now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const token = await createEnrollToken(c.store, 'Bäckerei Huber', now, 60_000);
  const row = (await rawGet<{ token_hash: string }>(c.store, 'SELECT token_hash FROM enroll_tokens'))!;
  t.equal(row.token_hash, hashSecret(token), 'stored hashed');
  t.notOk(JSON.stringify(await rawAll(c.store, 'SELECT * FROM enroll_tokens')).includes(token), 'never in the clear');

  const first = await enroll(c.url, token);
  t.equal(first.status, 200);
  t.match(first.body, { agentId: /^[0-9a-f-]{36}$/, secret: /^[A-Za-z0-9_-]{40,}$/ });
  t.match(await c.store.getAgent(first.body.agentId!), { clientName: 'Bäckerei Huber', name: 'pc-01' });
  t.equal((await c.store.agentCredentials(first.body.agentId!))!.secretHash, hashSecret(first.body.secret!), 'the secret is stored hashed');

  t.match(await enroll(c.url, token), { status: 409, body: { code: 'NINES_ERR_TOKEN_USED' } });
  t.match(await enroll(c.url, 'not-a-token-at-all'), { status: 401, body: { code: 'NINES_ERR_TOKEN_UNKNOWN' } });
  const late = await createEnrollToken(c.store, 'Bäckerei Huber', now, 60_000);
  now += 60_001;
  t.match(await enroll(c.url, late), { status: 410, body: { code: 'NINES_ERR_TOKEN_EXPIRED' } });
  t.match(await enroll(c.url, 'short'), { status: 400, body: { code: 'NINES_ERR_BAD_REQUEST' } });
  t.equal((await c.store.listAgents()).length, 1, 'refusals create no agents');
});

t.test('two agents racing for one token: exactly one wins', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const token = await createEnrollToken(c.store, 'acme', Date.now());
  const outcomes = await Promise.all([enroll(c.url, token), enroll(c.url, token), enroll(c.url, token)]);
  t.same(outcomes.map((o) => o.status).sort(), [200, 409, 409]);
  t.equal((await c.store.listAgents()).length, 1);
});

t.test(`enrollment is rate limited: ${ENROLL_ATTEMPTS_PER_MINUTE} attempts a minute per address`, async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const statuses: number[] = [];
  for (let i = 0; i < ENROLL_ATTEMPTS_PER_MINUTE + 2; i++) statuses.push((await enroll(c.url, `guess-${i}-xxxxxxxxxxxxxxxx`)).status);
  t.same(statuses.slice(0, ENROLL_ATTEMPTS_PER_MINUTE), Array(ENROLL_ATTEMPTS_PER_MINUTE).fill(401));
  const limited = await enroll(c.url, 'guess-more-xxxxxxxxxxxxxxx');
  t.match(limited, { status: 429, body: { code: 'NINES_ERR_ENROLL_RATE_LIMITED' } });
  // a valid token from the same address waits too: the limit is on attempts, not failures
  t.equal((await enroll(c.url, await createEnrollToken(c.store, 'acme', Date.now()))).status, 429);
});

t.test('CLI: enroll-token create prints the token last; nines-agent enroll writes a 0600 identity; agent revoke closes the socket', async (t) => {
  const c = await startCollector({ keepDir: true });
  const stateDir = tempDir('nines-agent-state-');
  t.teardown(async () => {
    await c.close();
    rmSync(c.dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const created = await run(process.execPath, [COLLECTOR, 'enroll-token', 'create', '--client', 'Kanzlei Meier', '--ttl', '1h', ...c.settings], { env });
  const token = await created.stdout.trim().split('\n').at(-1)!;
  t.match(created.stdout, /enrollment token for client "Kanzlei Meier", valid until .*single use/);
  t.match(token, /^nines-enroll_[A-Za-z0-9_-]{32}$/);

  for (const ttl of ['0s', 'soon', '90d']) {
    const bad = await run(process.execPath, [COLLECTOR, 'enroll-token', 'create', '--client', 'x', '--ttl', ttl, ...c.settings], { env }).catch((e) => e);
    t.equal(bad.code, 2, `--ttl ${ttl} is a usage error`);
    t.match(bad.stderr, /--ttl/);
  }
  const noClient = await run(process.execPath, [COLLECTOR, 'enroll-token', 'create', ...c.settings], { env }).catch((e) => e);
  t.equal(noClient.code, 2);

  const enrolled = await run(process.execPath, [AGENT, 'enroll', '--url', c.url, '--token', token, '--state-dir', stateDir, '--name', 'empfang'], { env });
  t.match(enrolled.stdout, /enrolled as agent [0-9a-f-]{36}/);
  const identityFile = join(stateDir, 'identity.json');
  t.equal(statSync(identityFile).mode & 0o777, 0o600, 'identity file mode 0600');
  const identity = JSON.parse(readFileSync(identityFile, 'utf8')) as { agentId: string; secret: string };
  t.match(await c.store.getAgent(identity.agentId), { clientName: 'Kanzlei Meier', name: 'empfang' });

  const reuse = await run(process.execPath, [AGENT, 'enroll', '--url', c.url, '--token', token, '--state-dir', tempDir('nines-x-')], { env }).catch((e) => e);
  t.equal(reuse.code, 1);
  t.match(reuse.stderr, /enrollment refused: the enrollment token was already used/);
  const again = await run(process.execPath, [AGENT, 'enroll', '--url', c.url, '--token', token, '--state-dir', stateDir], { env }).catch((e) => e);
  t.equal(again.code, 2, 'an enrolled agent is not overwritten without --force');

  const socket = await c.agentSocket(identity);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const closing = closed(socket);
  const started = Date.now();
  const revoked = await run(process.execPath, [COLLECTOR, 'agent', 'revoke', identity.agentId, ...c.settings], { env });
  t.match(revoked.stdout, /revoked; a running collector closes its socket within 1 s/);
  t.equal((await closing).code, 4403, 'the running collector closed the socket (revocation sweep)');
  t.ok(Date.now() - started < 10_000);
  t.equal((await c.store.getAgent(identity.agentId))!.revokedAt !== null, true);
  const refused = await c.agentSocket(identity).then(() => 'open', (e: Error) => e.message);
  t.match(refused, /403/, 'and refuses it afterwards');

  const unknown = await run(process.execPath, [COLLECTOR, 'agent', 'revoke', '00000000-0000-0000-0000-000000000000', ...c.settings], { env }).catch((e) => e);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /no agent with id/);
  const usage = await run(process.execPath, [COLLECTOR, 'agent', 'revoke', ...c.settings], { env }).catch((e) => e);
  t.equal(usage.code, 2);
  const list = await run(process.execPath, [COLLECTOR, 'agent', 'list', '--json', ...c.settings], { env });
  t.match(JSON.parse(list.stdout), [{ id: identity.agentId, client: 'Kanzlei Meier', name: 'empfang', revoked: true }]);
});
