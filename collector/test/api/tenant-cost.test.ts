import t from 'tap';
import type { Statement } from 'better-sqlite3';
import type { Result } from '@nines/shared';
import { startWorld } from './helpers.ts';
import { result } from '../helpers/collector.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/** Counts the rows every statement prepared from now on hands back to JavaScript: what a request reads. */
function countRowsRead(db: { prepare(sql: string): Statement }): { rows: number } {
  const counter = { rows: 0 };
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement);
    const get = statement.get.bind(statement);
    const iterate = statement.iterate.bind(statement);
    Object.assign(statement, {
      all: (...args: unknown[]) => {
        const rows = all(...args);
        counter.rows += rows.length;
        return rows;
      },
      get: (...args: unknown[]) => {
        const row = get(...args);
        if (row !== undefined) counter.rows++;
        return row;
      },
      iterate: function* (...args: unknown[]) {
        for (const row of iterate(...args)) {
          counter.rows++;
          yield row;
        }
      },
    });
    return statement;
  };
  return counter;
}

t.test("a client's overview does not read other tenants' checks: its cost does not grow with their data", async (t) => {
  const w = await startWorld({ store: 'sqlite' }); // counts the rows SQLite reads
  t.teardown(w.c.close);
  const now = Date.now();
  await w.c.store.insertResults(w.acmeAgent.agentId, [result(1), result(2, { checkId: 'disk', status: 'WARN' })], now);
  const flood: Result[] = Array.from({ length: 5_000 }, (_, i) => result(i + 1, { checkId: `flood-${i}`, status: 'CRIT' }));
  await w.c.store.insertResults(w.globexAgent.agentId, flood, now);

  const counter = countRowsRead((w.c.store as SqliteStore).db);
  const own = await w.acmeUser.json<{ clients: { id: number; counts: Record<string, number>; hosts: number }[] }>('GET', '/api/v1/overview');
  t.equal(own.status, 200);
  t.same(own.body.clients.map((c) => c.id), [w.acme], 'only its own client');
  t.match(own.body.clients[0], { hosts: 1, counts: { OK: 1, WARN: 1, CRIT: 0 } });
  t.ok(counter.rows < 100, `the client's overview read ${counter.rows} rows, not the other tenant's 5,000 checks`);

  counter.rows = 0;
  const all = await w.admin.json<{ clients: { id: number; counts: Record<string, number> }[] }>('GET', '/api/v1/overview');
  t.equal(all.body.clients.find((c) => c.id === w.globex)!.counts.CRIT, 5_000);
  t.ok(counter.rows >= 5_000, `the admin's overview reads every check (${counter.rows} rows): the counter sees the reads`);

  counter.rows = 0;
  const status = await w.acmeUser.json<{ agents: { id: string; checks: unknown[] }[] }>('GET', '/api/v1/status');
  t.same(status.body.agents.map((a) => a.id), [w.acmeAgent.agentId]);
  t.equal(status.body.agents[0]!.checks.length, 2);
  t.ok(counter.rows < 200, `the client's status read ${counter.rows} rows`);
});
