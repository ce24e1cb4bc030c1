/**
 * `nines-collector migrate --from nines.db --to postgres://…` as a separate process, on an installation made
 * through the store's API: every table's count printed and equal on both sides, what was stored reads back the
 * same from PostgreSQL, new ids do not collide with copied ones, and the source file is left as it was.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@nines/shared';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { PgStore } from '../../src/store/postgres/postgres-store.ts';
import { COPIED_TABLES } from '../../src/store/copy-to-postgres.ts';
import { monthPartitions } from '../../src/store/postgres/partitions.ts';
import { PgConnection } from '../../src/store/postgres/connection.ts';
import { hashSecret } from '../../src/auth/secrets.ts';
import { postgresTestDatabase } from '../helpers/test-store.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/nines-collector.mjs');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 20, 8, 0, 0); // 20 September: the results below span three months

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function installation(file: string) {
  const store = new SqliteStore(file);
  const bakery = await store.management.createClient({ name: 'Bäckerei Müller', slaTarget: 0.995 }, T0);
  const lawyer = await store.management.createClient({ name: 'Kanzlei Berger', language: 'en' }, T0);
  const agents = ['a1', 'a2', 'a3'];
  for (const [i, id] of agents.entries()) {
    await store.createEnrollToken(hashSecret(`tok-${id}`), i < 2 ? bakery.id : lawyer.id, T0, T0 + DAY);
    await store.enrollAgent(hashSecret(`tok-${id}`), { id, name: `pc-${id}`, secretHash: hashSecret(id), platform: 'windows', agentVersion: '1.0.0' }, T0);
  }
  // Every 6 hours for 60 days, two checks per agent: 3 agents × 240 × 2 results.
  const perAgent = 60 * 4;
  for (const id of agents) {
    const batch: Result[] = [];
    for (let i = 0; i < perAgent; i++) {
      for (const [c, checkId] of ['web', 'backup'].entries()) {
        const at = T0 + i * 6 * 3_600_000;
        batch.push({
          seq: i * 2 + c + 1, checkId, kind: c === 0 ? 'http' : 'restic', status: i % 17 === 0 ? 'CRIT' : 'OK', message: i % 17 === 0 ? 'down' : 'fine',
          metrics: { latency_ms: i % 50 }, startedAt: at, finishedAt: at + 40, intervalMs: 6 * 3_600_000,
        });
      }
    }
    await store.insertResults(id, batch, T0 + 61 * DAY);
  }
  const admin = await store.createUser({ username: 'admin', passwordHash: 'h', role: 'admin' }, T0);
  await store.createUser({ username: 'mueller', passwordHash: 'h', role: 'client', clientId: bakery.id }, T0);
  const tokenId = await store.createApiToken(hashSecret('script'), admin, 'backup script', T0, { scope: 'read' });
  await store.channelSettings.put('ntfy', { server: 'https://ntfy.example' }, T0, 'admin');
  await store.close();
  return { agents, perAgent, tokenId, bakery, lawyer, resultsPerAgent: perAgent * 2 };
}

t.test('migrate copies an installation into an empty PostgreSQL database and verifies every count', async (t) => {
  const url = await postgresTestDatabase(t);
  if (url === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'nines-migrate-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nines.db');
  const made = await installation(file);
  const before = sha(file);
  const sqlite = new SqliteStore(file);
  const expected = {
    results: made.agents.length * made.resultsPerAgent, agents: made.agents.length, clients: 2, users: 2, api_tokens: 1, channel_settings: 1,
  };
  const storedBefore = await sqlite.resultsBetween('a2', 'backup', T0, T0 + 61 * DAY);
  const checksBefore = await sqlite.listChecks();
  await sqlite.close();

  const { stdout } = await run(process.execPath, [bin, 'migrate', '--from', file, '--to', url]);
  const printed = Object.fromEntries(stdout.trim().split('\n').slice(0, -1).map((line) => line.trim().split(/\s+/)).map(([table, n]) => [table, Number(n)]));
  t.same(Object.keys(printed), [...COPIED_TABLES], 'one line per table');
  t.match(printed, expected, 'the counts the scenario made');
  t.match(stdout, /every count matches\n$/);
  t.notMatch(stdout, /nines_test:nines_test/, 'the password is not printed');
  t.equal(sha(file), before, 'the source file is unchanged');

  const raw = new PgConnection(url);
  t.same((await monthPartitions(raw.pool)).map((p) => p.name), ['results_2026_09', 'results_2026_10', 'results_2026_11'], 'a partition for each month the history spans');
  t.equal((await raw.row<{ n: number }>(`SELECT count(*) AS n FROM results_default`))!.n, 0, 'so none of it landed in the default partition');
  await raw.close();

  const pg = await PgStore.open(url, { now: T0 });
  t.teardown(() => pg.close());
  t.same(await pg.resultsBetween('a2', 'backup', T0, T0 + 61 * DAY), storedBefore, 'the results read back the same');
  t.equal(storedBefore.length, made.perAgent, 'and they are all of them');
  t.same(await pg.listChecks(), checksBefore, 'check states too');
  t.equal(await pg.countResults('a1'), made.resultsPerAgent);
  t.equal((await pg.apiToken(hashSecret('script'), T0 + 1))!.tokenId, made.tokenId, 'an API token keeps its id');
  const next = await pg.management.createClient({ name: 'Autohaus Nord' }, T0);
  t.ok(next.id > Math.max(made.bakery.id, made.lawyer.id), 'a new client gets an id past the copied ones');
  t.same(await pg.channelSettings.list(), [{ kind: 'ntfy', settings: { server: 'https://ntfy.example' }, updatedAt: T0, updatedBy: 'admin' }]);

  const again = await run(process.execPath, [bin, 'migrate', '--from', file, '--to', url]).catch((error: { code: number; stderr: string }) => error);
  t.equal((again as { code: number }).code, 1, 'a second copy into the now filled database is refused');
  t.match((again as { stderr: string }).stderr, /already holds a Nines installation/);
  t.equal(await pg.countResults('a1'), made.resultsPerAgent, 'and changed nothing');
});

t.test('migrate refuses bad arguments with a clear message', async (t) => {
  const fail = (args: string[]) => run(process.execPath, [bin, 'migrate', ...args]).catch((error: { code: number; stderr: string }) => error) as Promise<{ code: number; stderr: string }>;
  t.match(await fail([]), { code: 2, stderr: /migrate needs --from FILE and --to postgres/ });
  t.match(await fail(['--from', '/nonexistent/nines.db', '--to', 'postgres://x@127.0.0.1/db']), { code: 2, stderr: /no such file/ });
  t.match(await fail(['--from', bin, '--to', 'mysql://x@127.0.0.1/db']), { code: 2, stderr: /must be a postgres:\/\/ or postgresql:\/\/ URL/ });
});
