/**
 * Security and backup-verification kinds are not service downtime by default (issue 22): a firewall CRIT for an
 * hour beside an OK web check leaves host and client at 100 % with no incident, the consultant can still make it
 * critical, and migration 017 recomputes host hours rolled up under the old default. Real SQLite, fixed clock.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result, Status } from '@nines/shared';
import { availabilityFor, flushRollups, incidents, setCheckSla } from '../../src/availability/index.ts';
import { NON_SERVICE_KINDS } from '../../src/availability/source.ts';
import { loadMigrations, openDatabase } from '../../src/store/sqlite/database.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { availabilityFixture, res, MIN, HOUR } from './helpers.ts';

const T0 = Date.UTC(2026, 6, 6, 8); // a Monday, 10:00 in Berlin
const WINDOW = { from: T0, to: T0 + 3 * HOUR };
const NOW = T0 + 4 * HOUR;

/** One result a minute over three hours; `kind`'s check is CRIT in the second hour. */
function run(checkId: string, kind: string, crit: boolean, seq0: number): Result[] {
  const out: Result[] = [];
  for (let at = T0; at < T0 + 3 * HOUR; at += MIN) {
    const status: Status = crit && at >= T0 + HOUR && at < T0 + 2 * HOUR ? 'CRIT' : 'OK';
    out.push(res(seq0 + out.length, checkId, at, status, { kind }));
  }
  return out;
}

async function setup(t: { teardown(fn: () => void): void }, kind: string) {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const client = await fx.client('Bäckerei Müller');
  const agent = await fx.agent(client, 'pc-empfang');
  await fx.check(agent, 'web', MIN, 'http');
  await fx.check(agent, 'posture', MIN, kind);
  await fx.ingest(agent, [...run('web', 'http', false, 1), ...run('posture', kind, true, 1000)]);
  return { fx, client, agent };
}

const POSTURE_KINDS = ['antivirus', 'firewall', 'logins', 'encryption', 'smart', 'eventlog', 'admins', 'backup-integrity', 'backup-churn'];

t.test('every security and backup-verification kind is non-service by default', async (t) => {
  for (const kind of POSTURE_KINDS) t.ok(NON_SERVICE_KINDS.has(kind), kind);
  t.notOk(NON_SERVICE_KINDS.has('http'), 'a service kind still counts');
});

t.test('a firewall CRIT for an hour beside an OK web check: host and client 100 %, no incident', async (t) => {
  const { fx, client, agent } = await setup(t, 'firewall');
  await flushRollups(fx.store);
  const host = await availabilityFor(fx.store, 'host', agent, WINDOW, NOW);
  t.equal(host.downMs, 0);
  t.equal(host.availabilityPercent, '100.000');
  const whole = await availabilityFor(fx.store, 'client', String(client), WINDOW, NOW);
  t.equal(whole.downMs, 0);
  t.equal(whole.availabilityPercent, '100.000');
  t.equal(whole.budget.windowRemainingMs, whole.budget.windowBudgetMs, 'no budget burnt');
  t.same(await incidents(fx.store, 'client', String(client), WINDOW, NOW), [], 'nothing for the report');
  t.same(await incidents(fx.store, 'host', agent, WINDOW, NOW), []);
  const own = await availabilityFor(fx.store, 'check', `${agent}/posture`, WINDOW, NOW);
  t.equal(own.downMs, HOUR, 'the check itself still shows its CRIT hour');
});

t.test('the consultant makes the firewall critical explicitly: the hour is host downtime and an incident', async (t) => {
  const { fx, client, agent } = await setup(t, 'firewall');
  await flushRollups(fx.store);
  await setCheckSla(fx.store, { agentId: agent, checkId: 'posture' }, { critical: true, weight: 1 }, NOW);
  await flushRollups(fx.store);
  t.equal((await availabilityFor(fx.store, 'host', agent, WINDOW, NOW)).downMs, HOUR, 'the host rollup was recomputed');
  t.equal((await availabilityFor(fx.store, 'client', String(client), WINDOW, NOW)).downMs, HOUR, 'weight 1 of 2 checks: one check-hour down');
  const found = await incidents(fx.store, 'client', String(client), WINDOW, NOW);
  t.equal(found.length, 1);
  t.equal(found[0]!.checkId, 'posture');
  t.equal(found[0]!.durationMs, HOUR);
  t.equal((await incidents(fx.store, 'host', agent, WINDOW, NOW)).length, 1);

  await setCheckSla(fx.store, { agentId: agent, checkId: 'posture' }, null, NOW);
  await flushRollups(fx.store);
  t.equal((await availabilityFor(fx.store, 'host', agent, WINDOW, NOW)).downMs, 0, 'reset to the default: not service again');
});

t.test('migration 017 recomputes host hours rolled up under the old default; an explicit role is left alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-mig017-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nines.db');
  const before = loadMigrations().filter((m) => m.version < 17);
  t.equal(before.at(-1)!.version, 16);
  const old = openDatabase(file, before);
  old.prepare(`INSERT INTO clients (name, timezone, language, created_at) VALUES ('c', 'Europe/Berlin', 'de', 0)`).run();
  for (const id of ['a-default', 'a-explicit']) {
    old.prepare(`INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, 1, ?, 'x', 0, ?)`).run(id, id, id);
    old.prepare(`INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'fw', 'firewall', 'fw', ?)`).run(id, MIN);
    const insert = old.prepare(`INSERT INTO results (agent_id, seq, check_id, status, message, metrics_json, started_at, finished_at, received_at)
      VALUES (?, ?, 'fw', 'CRIT', 'inactive', '{}', ?, ?, 0)`);
    for (let i = 0; i < 60; i++) insert.run(id, i + 1, T0 + i * MIN, T0 + i * MIN);
    // The host hour as the old default rolled it up: the firewall's CRIT made the host DOWN for the hour.
    old.prepare(`INSERT INTO availability_hours (agent_id, check_id, start_at, up_ms, down_ms, unknown_ms, maintenance_ms, results, failures)
      VALUES (?, '', ?, 0, ?, 0, 0, 60, 60)`).run(id, T0, HOUR);
  }
  old.prepare(`INSERT INTO check_sla (agent_id, check_id, critical, weight) VALUES ('a-explicit', 'fw', 1, 1)`).run();
  old.close();

  const store = new SqliteStore(file);
  t.teardown(() => store.close());
  const dirty = store.db.prepare(`SELECT agent_id, check_id, hour_at FROM availability_dirty ORDER BY agent_id`).all();
  t.same(dirty, [{ agent_id: 'a-default', check_id: '', hour_at: T0 }], 'only the host whose firewall follows the default');
  await flushRollups(store);
  const hour = { from: T0, to: T0 + HOUR };
  const fixed = await availabilityFor(store, 'host', 'a-default', hour, NOW);
  t.equal(fixed.downMs, 0, 'recomputed: the firewall is not service');
  t.equal(fixed.measuredMs, 0, 'and with no service check, nothing measured');
  t.equal((await availabilityFor(store, 'host', 'a-explicit', hour, NOW)).downMs, HOUR, 'made critical by the consultant: still down');
});
