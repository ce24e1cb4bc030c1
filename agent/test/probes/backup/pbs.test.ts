import t from 'tap';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/fixtures.ts';
import { backup } from '../../../src/checks/backup.ts';
import { HOUR, tempDir, testContext } from './context.ts';

/** A stand-in PBS on 127.0.0.1 serving recorded answers; it checks the token header as PBS does. */
async function fakePbs(t: { teardown(fn: () => unknown): void }, answer: (req: IncomingMessage) => { status: number; body: string }) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const { status, body } =
      req.headers.authorization === 'PBSAPIToken=monitor@pbs!nines:s3cret' ? answer(req) : { status: 401, body: fixture('pbs', 'error-401.json') };
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

t.test('PBS over its HTTP API', async (t) => {
  const dir = tempDir(t);
  const secretFile = join(dir, 'token');
  writeFileSync(secretFile, 's3cret\n');
  let body = fixture('pbs', 'snapshots-normal.json');
  let status = 200;
  const pbs = await fakePbs(t, () => ({ status, body }));
  const config = { kind: 'backup' as const, id: 'pbs', tool: 'pbs' as const, url: pbs.url, datastore: 'store1', tokenId: 'monitor@pbs!nines', tokenSecretFile: secretFile, every: '24h' };
  const now = 1795557600_000 + 10 * HOUR;
  const ctx = testContext({ clock: () => now });

  t.test('normal: every group fresh and verified', async (t) => {
    const outcome = await backup.run(config, ctx);
    t.equal(outcome.status, 'OK', outcome.message);
    t.match(outcome.message, /^PBS vm\/100 on store1, 10 h old, 32\.0 GiB; 2 groups, 0 not OK$/);
    t.match(outcome.metrics, { groups: 2, groups_not_ok: 0, age_s: 36000 });
    t.equal(pbs.seen.at(-1)!.url, '/api2/json/admin/datastore/store1/snapshots');
  });

  t.test('filters go to the API as query parameters', async (t) => {
    await backup.run({ ...config, backupType: 'vm', backupId: '100', namespace: 'site-a' }, ctx);
    t.equal(pbs.seen.at(-1)!.url, '/api2/json/admin/datastore/store1/snapshots?ns=site-a&backup-type=vm&backup-id=100');
  });

  t.test('a failed verification is CRIT however fresh', async (t) => {
    body = fixture('pbs', 'snapshots-verify-failed.json');
    t.match(await backup.run(config, ctx), { status: 'CRIT', message: /PBS vm\/100 on store1, 10 h old.*its verification failed \(task UPID:pbs:/ });
  });

  t.test('old and empty are CRIT', async (t) => {
    body = fixture('pbs', 'snapshots-old.json');
    t.match(await backup.run(config, ctx), { status: 'CRIT', message: /PBS vm\/100 on store1, 55 d 12 h old, 32\.0 GiB \(older than the 2 d 6 h limit\)/ });
    body = fixture('pbs', 'snapshots-empty.json');
    t.match(await backup.run({ ...config, backupType: 'ct', backupId: '105' }, ctx), { status: 'CRIT', message: 'PBS datastore store1 ct/105: no backup found' });
  });

  t.test('errors are UNKNOWN with what PBS said', async (t) => {
    body = fixture('pbs', 'error-no-datastore.json');
    status = 400;
    t.same(await backup.run({ ...config, datastore: 'nosuch' }, ctx), {
      status: 'UNKNOWN', message: "PBS answered HTTP 400 for datastore nosuch: datastore 'nosuch' does not exist",
      code: 'backup.probe_failed', params: { tool: 'pbs', error: "PBS answered HTTP 400 for datastore nosuch: datastore 'nosuch' does not exist" },
    });
    status = 200;
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'guess\n');
    t.match(await backup.run({ ...config, tokenSecretFile: wrong }, ctx), { status: 'UNKNOWN', message: /PBS rejected the API token \(HTTP 401\): authentication failed/ });
    body = '<html>proxy error</html>';
    t.match(await backup.run(config, ctx), { status: 'UNKNOWN', message: /PBS answer has no snapshot list/ });
    body = '{"data":[{"backup-type":"vm"}]}';
    t.match(await backup.run(config, ctx), { status: 'UNKNOWN', message: /lacks backup-type, backup-id or backup-time/ });
    t.match(await backup.run({ ...config, tokenSecretFile: undefined }, ctx), { status: 'UNKNOWN', message: /no PBS token secret configured/ });
  });

  t.test('an unreachable server is UNKNOWN with the reason', async (t) => {
    t.match(await backup.run({ ...config, url: 'http://127.0.0.1:1' }, ctx), {
      status: 'UNKNOWN', message: 'cannot reach the Proxmox Backup Server: Connection to http://127.0.0.1:1 refused', code: 'net.refused', params: { target: 'http://127.0.0.1:1' },
    });
  });
});
