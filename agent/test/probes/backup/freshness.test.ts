import t from 'tap';
import { checkConfigErrors } from '@nines/shared';
import { evaluateFreshness, freshnessPolicy } from '../../../src/probes/backup/freshness.ts';
import { DAY, HOUR } from './context.ts';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const daily = freshnessPolicy({ kind: 'backup', id: 'b', tool: 'heartbeat', job: 'x', every: '24h', grace: '6h' });

t.test('a daily job: OK up to every + grace, WARN beyond, CRIT beyond 2 × every + grace', async (t) => {
  t.same(daily, { everyMs: DAY, graceMs: 6 * HOUR, critAgeMs: 2 * DAY + 6 * HOUR });
  const at = (ageMs: number) => evaluateFreshness({ subject: 'job', lastBackupAt: now - ageMs }, daily, now);
  t.equal(at(30 * HOUR).status, 'OK', 'exactly at every + grace is still inside');
  t.equal(at(30 * HOUR + 1).status, 'WARN', 'one ms beyond is late');
  t.equal(at(54 * HOUR).status, 'WARN', 'exactly at the CRIT limit is still WARN');
  const crit = at(54 * HOUR + 1);
  t.equal(crit.status, 'CRIT');
  t.match(crit.message, /job, 2 d 6 h old \(older than the 2 d 6 h limit\)/);
  t.equal(crit.metrics!.age_s, 54 * 3600);
});

t.test('defaults: nightly with a quarter of the interval as grace; critAge is configurable', async (t) => {
  t.same(freshnessPolicy({ kind: 'backup', id: 'b', tool: 'timemachine' }), { everyMs: DAY, graceMs: 6 * HOUR, critAgeMs: 54 * HOUR });
  t.same(freshnessPolicy({ kind: 'backup', id: 'b', tool: 'timemachine', every: '1h' }), { everyMs: HOUR, graceMs: 15 * 60_000, critAgeMs: 2 * HOUR + 15 * 60_000 });
  t.equal(freshnessPolicy({ kind: 'backup', id: 'b', tool: 'timemachine', every: '7d', critAge: '10d' }).critAgeMs, 10 * DAY);
});

t.test('no backup at all is CRIT, never OK', async (t) => {
  const outcome = evaluateFreshness({ subject: 'restic repository /x' }, daily, now);
  t.equal(outcome.status, 'CRIT');
  t.equal(outcome.message, 'restic repository /x: no backup found');
});

t.test('too small and shrinking backups WARN; unknown size with size limits is UNKNOWN', async (t) => {
  const policy = { ...daily, minSizeBytes: 1000, maxShrinkPercent: 50 };
  const fresh = { subject: 'dump', lastBackupAt: now - HOUR };
  t.equal(evaluateFreshness({ ...fresh, sizeBytes: 1000, previousSizeBytes: 2000 }, policy, now).status, 'OK', '50 % smaller is at the limit');
  const shrunk = evaluateFreshness({ ...fresh, sizeBytes: 1000, previousSizeBytes: 2002 }, policy, now);
  t.equal(shrunk.status, 'WARN');
  t.match(shrunk.message, /50 % smaller than the backup before/);
  const small = evaluateFreshness({ ...fresh, sizeBytes: 999 }, policy, now);
  t.equal(small.status, 'WARN');
  t.match(small.message, /smaller than the expected 1000 B/);
  t.equal(small.metrics!.size_bytes, 999);
  t.equal(evaluateFreshness(fresh, policy, now).status, 'UNKNOWN');
});

t.test('a backup time in the future beyond clock skew tolerance WARNs', async (t) => {
  t.equal(evaluateFreshness({ subject: 'x', lastBackupAt: now + 4 * 60_000 }, daily, now).status, 'OK');
  const future = evaluateFreshness({ subject: 'x', lastBackupAt: now + HOUR }, daily, now);
  t.equal(future.status, 'WARN');
  t.match(future.message, /in the future/);
});

t.test('problems from the probe raise the status however fresh the backup is', async (t) => {
  const outcome = evaluateFreshness({ subject: 'x', lastBackupAt: now - HOUR, problems: [{ status: 'CRIT', reason: 'the last run failed' }] }, daily, now);
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.message, /\(the last run failed\)/);
});

t.test('config errors dispatch on tool and point at the bad field', async (t) => {
  t.same(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'restic', repository: '/r', passwordFile: '/p' }), []);
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'tape' }), [/^\/tool: expected one of file-age, restic, borg, pbs, timemachine, wsb, veeam, heartbeat, got "tape"/]);
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'restic' }), [/repository/]);
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'borg', repository: '/r', every: 'daily' }, '/checks/3'), [/^\/checks\/3\/every/]);
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'restic', repository: '/r', password: 'inline' }), [/password/], 'inline secrets are rejected');
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'restic', repository: '/r', passwordFile: '/p', passwordEnv: 'P' }), [/passwordEnv: give passwordFile or passwordEnv, not both/]);
  t.match(checkConfigErrors({ kind: 'backup', id: 'b', tool: 'pbs', url: 'https://pbs:8007', datastore: 's', tokenId: 'no-bang' }), [/\/tokenId/]);
});
