/**
 * Scenario 2 of issue 15: the collector killed (SIGKILL, no goodbye) for ~30 s while the agent keeps
 * checking, with the target down for part of it; restarted on the same data. The agent replays its spool:
 * the figures include the replayed results, there is no UNKNOWN for the outage, and storedResults == lastSeq.
 */
import t from 'tap';
import { startHttpTarget } from './helpers/targets.ts';
import { startWorld } from './helpers/world.ts';
import { sleep, waitUntil } from './helpers/processes.ts';
import { checkAvailability, checkResults, firstResult } from './helpers/api.ts';
import { expectedTotals, overlapMs, table, totalsRows } from './helpers/expect.ts';

t.setTimeout(240_000);

const WEB_INTERVAL = 10_000;
const OUTAGE_MS = 30_000;

interface AgentStatus {
  id: string;
  lastSeq: number;
  storedResults: number;
  backlog: number | null;
  connected: boolean;
}

t.test('a collector outage: the agent replays its spool and the figures include it', async (t) => {
  const web = await startHttpTarget();
  t.teardown(() => web.close());
  const world = await startWorld(t, {
    client: 'Kanzlei Roth', host: 'e2e-kanzlei',
    checksYaml: [`- { kind: http, id: web, name: Kanzlei-Website, url: "${web.url}", interval: 10s, timeout: 5s }`],
  });
  const { api, agent, collector } = world;
  const started = Date.now();
  const firstWeb = await firstResult(api, agent.agentId, 'web', started - 60_000);
  await sleep(10_000);

  const mineIn = (status: { agents: AgentStatus[] }) => status.agents.find((a) => a.id === agent.agentId);
  const beforeKill = mineIn(JSON.parse(await collector.cli(['status', '--json'])) as { agents: AgentStatus[] })!;
  const killedAt = Date.now();
  await collector.child.stop('SIGKILL');
  await sleep(8_000);
  web.setUp(false);
  await sleep(14_000);
  web.setUp(true);
  await sleep(OUTAGE_MS - 22_000);
  const restartedAt = Date.now();
  await collector.restart();

  // The agent reconnects with backoff (at most 60 s); then everything it spooled is stored. Until it has, the
  // restarted collector must not say connected: the mark the killed one left is released when it starts (on a
  // shared store by the leader, once the killed collector's session is gone).
  const resultsInOutage = Math.floor((restartedAt - killedAt) / WEB_INTERVAL) - 1;
  const caughtUp = await waitUntil('the agent to reconnect and replay', async () => {
    const mine = mineIn(JSON.parse(await collector.cli(['status', '--json'])) as { agents: AgentStatus[] });
    return mine && mine.connected && mine.backlog === 0 && mine.storedResults === mine.lastSeq && mine.lastSeq >= beforeKill.lastSeq + resultsInOutage ? mine : undefined;
  }, 90_000, 1_000);
  await sleep(12_000);
  await agent.child.stop('SIGTERM');
  const to = Date.now();
  const from = firstWeb.at;

  const results = await checkResults(api, agent.agentId, 'web', from - 2 * WEB_INTERVAL, to);
  const expected = expectedTotals(results, WEB_INTERVAL, from, to);
  const reported = await checkAvailability(api, agent.agentId, 'web', from, to);
  const duringOutage = results.filter((r) => r.at >= killedAt && r.at < restartedAt);
  const lastResult = Math.max(...results.map((r) => r.at));
  const finalStatus = (JSON.parse(await collector.cli(['status', '--json'])) as { agents: AgentStatus[] }).agents.find((a) => a.id === agent.agentId)!;
  const scheduledDown = overlapMs(web.schedule.downSpans(), from, to);

  t.comment(table(`collector outage ${killedAt}–${restartedAt}: web (10 s) over [${from}, ${to})`, [
    ...totalsRows('web', expected, reported),
    ['results in the outage (min)', resultsInOutage, duringOutage.length],
    ['scheduled down', scheduledDown, reported.downMs],
    ['storedResults = lastSeq', finalStatus.lastSeq, finalStatus.storedResults],
    ['lastSeq before the kill + results in the outage (min)', beforeKill.lastSeq + resultsInOutage, caughtUp.lastSeq],
    ['lastSeq at catch-up', caughtUp.lastSeq, caughtUp.storedResults],
  ]));

  t.same({ upMs: reported.upMs, downMs: reported.downMs, unknownMs: reported.unknownMs, maintenanceMs: reported.maintenanceMs }, expected,
    'the API figures equal the rule applied to the stored results');
  t.ok(duringOutage.length >= resultsInOutage, `the ${duringOutage.length} results checked during the outage were replayed`);
  t.equal(expected.unknownMs, Math.max(0, to - (lastResult + 2 * WEB_INTERVAL)), 'no UNKNOWN but the tail after the agent stopped: the outage is covered');
  t.ok(reported.downMs > 0 && Math.abs(reported.downMs - scheduledDown) <= WEB_INTERVAL, `the downtime during the outage counts: ${reported.downMs} ms vs ${scheduledDown} ms`);
  t.equal(finalStatus.storedResults, finalStatus.lastSeq, 'status --json: every result the agent numbered is stored');
});
