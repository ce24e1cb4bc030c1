/**
 * The 1 min and 3 min intervals of issue 15 without waiting many minutes: each check gets its first result
 * (within 10 s of the start), then the agent is stopped. By the rule a result covers at most 2 × interval:
 * the 1 min check turns UNKNOWN 2 min after its result, the 3 min check stays covered (6 min) for the whole
 * ~2.3 min the test waits. A collector that used any other interval (e.g. 60 s for both) reports otherwise.
 */
import t from 'tap';
import { startTcpTarget } from './helpers/targets.ts';
import { startWorld } from './helpers/world.ts';
import { sleep } from './helpers/processes.ts';
import { checkAvailability, checkResults, firstResult } from './helpers/api.ts';
import { expectedTotals, table, totalsRows } from './helpers/expect.ts';

t.setTimeout(240_000);

const CHECKS = [
  { id: 'mail-port', yaml: '1m', intervalMs: 60_000 },
  { id: 'backup-port', yaml: '3m', intervalMs: 180_000 },
];

t.test('1 min and 3 min checks: a result covers 2 × its own interval, then UNKNOWN', async (t) => {
  const tcp = await startTcpTarget();
  t.teardown(() => tcp.close());
  const world = await startWorld(t, {
    client: 'Steuerbüro Lang', host: 'e2e-steuer',
    checksYaml: CHECKS.map((c) => `- { kind: tcp, id: ${c.id}, host: 127.0.0.1, port: ${tcp.port}, interval: ${c.yaml}, timeout: 5s }`),
  });
  const { api, agent } = world;
  const started = Date.now();
  const first = new Map<string, number>();
  for (const c of CHECKS) {
    const point = await firstResult(api, agent.agentId, c.id, started - 60_000);
    first.set(c.id, point.at);
  }
  await agent.child.stop('SIGTERM');
  const from = Math.min(...first.values());
  // Past the 1 min check's 2-minute cover, well inside the 3 min check's 6 minutes.
  const to = Math.max(...first.values()) + 2 * 60_000 + 15_000;
  await sleep(to - Date.now() + 500);

  const detail = await api.get<{ checks: Array<{ id: string; intervalMs: number }> }>(`/api/v1/agents/${agent.agentId}`);
  for (const c of CHECKS) {
    const results = await checkResults(api, agent.agentId, c.id, from - 2 * c.intervalMs, to);
    const expected = expectedTotals(results, c.intervalMs, from, to);
    const reported = await checkAvailability(api, agent.agentId, c.id, from, to);
    const stored = detail.checks.find((k) => k.id === c.id)?.intervalMs ?? null;
    const resultAt = first.get(c.id)!;
    const coveredUntil = Math.min(to, resultAt + 2 * c.intervalMs);
    t.comment(table(`${c.id} (${c.yaml}) over [${from}, ${to}), ${results.length} result(s)`, [
      ['stored intervalMs', c.intervalMs, stored],
      ...totalsRows(c.id, expected, reported),
      ['up = covered span', coveredUntil - resultAt, reported.upMs],
    ]));
    t.equal(results.length, 1, `${c.id}: one result before the agent stopped`);
    t.equal(stored, c.intervalMs, `${c.id}: the stored interval is the YAML's`);
    t.same({ upMs: reported.upMs, downMs: reported.downMs, unknownMs: reported.unknownMs, maintenanceMs: reported.maintenanceMs }, expected,
      `${c.id}: the API figures equal the rule`);
    t.equal(expected.upMs, coveredUntil - resultAt, `${c.id}: UP from the result for min(2 × ${c.yaml}, the rest of the window)`);
  }
});
