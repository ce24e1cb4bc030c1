/**
 * Scenarios 1, 3 and 5 of issue 15: an agent with checks from its own YAML (10 s http, 1 min tcp) against
 * local targets; the http target down and up; the agent stopped with SIGTERM for ~40 s and restarted;
 * a second down period covered by a maintenance window created through the API; then the API, `status
 * --json` and the monthly report compared with the suite's own figures from the results and the rule.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpTarget, startTcpTarget } from './helpers/targets.ts';
import { startWorld } from './helpers/world.ts';
import { sleep } from './helpers/processes.ts';
import { checkAvailability, checkResults, firstResult } from './helpers/api.ts';
import { expectedTotals, overlapMs, table, totalsRows } from './helpers/expect.ts';
import { buildDashboard, launchChromium } from '../dashboard/test/helpers/world.ts';

t.setTimeout(300_000);

const WEB_INTERVAL = 10_000;
const PORT_INTERVAL = 60_000;
const STOP_MS = 40_000;

// `serve` serves dashboard/dist: built here as `npm start` builds it (untracked output).
buildDashboard(false);

t.test('agent YAML checks: downtime, an agent stop as UNKNOWN, maintenance; API, status --json, report and dashboard agree', async (t) => {
  const web = await startHttpTarget();
  const tcp = await startTcpTarget();
  t.teardown(() => Promise.all([web.close(), tcp.close()]));
  const world = await startWorld(t, {
    client: 'Praxis Dr. Weber', host: 'e2e-praxis',
    checksYaml: [
      `- { kind: http, id: web, name: Praxis-Website, url: "${web.url}", interval: 10s, timeout: 5s }`,
      `- { kind: tcp, id: port, name: Praxis-Port, host: 127.0.0.1, port: ${tcp.port}, interval: 1m, timeout: 5s }`,
    ],
  });
  const { api, agent } = world;
  const started = Date.now();
  const firstWeb = await firstResult(api, agent.agentId, 'web', started - 60_000);

  await sleep(12_000);
  web.setUp(false);
  await sleep(25_000);
  web.setUp(true);
  await sleep(12_000);

  const stopAt = Date.now();
  await agent.child.stop('SIGTERM');
  await sleep(STOP_MS);
  const restartAt = Date.now();
  await agent.start();
  // The next period starts only once the restarted agent has reported: a slow start on a busy runner (11.7 s
  // seen) would otherwise run the stop's no-data span into the maintenance window below, which then paints it.
  await firstResult(api, agent.agentId, 'web', restartAt);
  await sleep(12_000);

  const maintenanceDownAt = web.setUp(false);
  await sleep(20_000);
  const maintenanceUpAt = web.setUp(true);
  await sleep(12_000);
  const maintenance = { from: maintenanceDownAt - 3_000, to: maintenanceUpAt + 3_000 };
  const client = (await api.get<Array<{ id: number; name: string; timezone: string }>>('/api/v1/clients'))
    .find((c) => c.name === 'Praxis Dr. Weber')!;
  await api.post('/api/v1/maintenance', {
    clientId: client.id, agentId: agent.agentId, checkId: 'web', title: 'e2e', recurrence: 'once', startsAt: maintenance.from, endsAt: maintenance.to,
  });

  // The agent stops for good; once its last web result's cover has run out, no figure of `web` moves any more.
  const endAt = Date.now();
  await agent.child.stop('SIGTERM');
  await sleep(2 * WEB_INTERVAL + 1_000);
  const from = firstWeb.at;
  const to = Date.now();

  t.test('the stored interval is the one in the YAML', async (t) => {
    const detail = await api.get<{ checks: Array<{ id: string; intervalMs: number }> }>(`/api/v1/agents/${agent.agentId}`);
    const intervals = Object.fromEntries(detail.checks.map((c) => [c.id, c.intervalMs]));
    t.comment(table('stored intervals', [['web intervalMs', WEB_INTERVAL, intervals.web ?? null], ['port intervalMs', PORT_INTERVAL, intervals.port ?? null]]));
    t.equal(intervals.web, WEB_INTERVAL, 'web: 10s from the YAML');
    t.equal(intervals.port, PORT_INTERVAL, 'port: 1m from the YAML');
  });

  const webResults = await checkResults(api, agent.agentId, 'web', from - 2 * WEB_INTERVAL, to);
  const webMaintenance = [maintenance];
  const expectedWeb = expectedTotals(webResults, WEB_INTERVAL, from, to, webMaintenance);
  const reportedWeb = await checkAvailability(api, agent.agentId, 'web', from, to);
  const portResults = await checkResults(api, agent.agentId, 'port', from - 2 * PORT_INTERVAL, to);
  const expectedPort = expectedTotals(portResults, PORT_INTERVAL, from, to);
  const reportedPort = await checkAvailability(api, agent.agentId, 'port', from, to);
  const downSpans = web.schedule.downSpans();
  const scheduledDownOutsideMaintenance = overlapMs(downSpans, from, to) - overlapMs(downSpans, maintenance.from, maintenance.to);
  const lastBeforeStop = Math.max(...webResults.filter((r) => r.at < stopAt).map((r) => r.at));
  const firstAfterRestart = Math.min(...webResults.filter((r) => r.at >= restartAt).map((r) => r.at));
  // The stop's uncovered part by the rule; the time after the final stop is UNKNOWN as well.
  const lastResult = Math.max(...webResults.map((r) => r.at));
  const expectedStopUnknown = Math.max(0, firstAfterRestart - (lastBeforeStop + 2 * WEB_INTERVAL));
  const expectedTailUnknown = Math.max(0, to - (lastResult + 2 * WEB_INTERVAL));

  t.comment(table(`web (10 s) over [${new Date(from).toISOString()}, ${new Date(to).toISOString()}), ${webResults.length} results`, [
    ...totalsRows('web', expectedWeb, reportedWeb),
    ['web availability', expectedWeb.upMs / (expectedWeb.upMs + expectedWeb.downMs), reportedWeb.availability],
    ['scheduled down (no maint.)', scheduledDownOutsideMaintenance, reportedWeb.downMs],
    ['agent stop unknown (rule)', expectedStopUnknown + expectedTailUnknown, reportedWeb.unknownMs],
    ...totalsRows('port', expectedPort, reportedPort),
  ]));

  t.test('web: the API figures equal the rule applied to the stored results', async (t) => {
    t.same(
      { upMs: reportedWeb.upMs, downMs: reportedWeb.downMs, unknownMs: reportedWeb.unknownMs, maintenanceMs: reportedWeb.maintenanceMs },
      expectedWeb,
    );
    t.equal(reportedWeb.availability, expectedWeb.upMs / (expectedWeb.upMs + expectedWeb.downMs));
  });

  t.test('web: the downtime is the real one within one interval each side', async (t) => {
    t.ok(expectedWeb.downMs > 0, 'the down period was measured');
    t.ok(Math.abs(reportedWeb.downMs - scheduledDownOutsideMaintenance) <= WEB_INTERVAL,
      `reported ${reportedWeb.downMs} ms vs scheduled ${scheduledDownOutsideMaintenance} ms`);
  });

  t.test('web: the agent stop is UNKNOWN, not up', async (t) => {
    t.ok(expectedStopUnknown >= STOP_MS - 2 * WEB_INTERVAL, `the rule leaves ${expectedStopUnknown} ms of the ${STOP_MS} ms stop uncovered`);
    t.equal(reportedWeb.unknownMs, expectedStopUnknown + expectedTailUnknown, 'UNKNOWN = the stop less 2 × 10 s cover, plus the tail after the final stop');
    t.ok(reportedWeb.coverage !== null && reportedWeb.coverage < 1, 'coverage below 100 %');
  });

  t.test('web: the maintenance window excludes the second down period', async (t) => {
    t.equal(reportedWeb.maintenanceMs, maintenance.to - maintenance.from);
    t.ok(overlapMs(downSpans, maintenance.from, maintenance.to) > 0, 'something was down inside the window');
  });

  t.test('port (1 min): the API figures equal the rule (the 40 s stop is inside its 2-minute cover)', async (t) => {
    t.same(
      { upMs: reportedPort.upMs, downMs: reportedPort.downMs, unknownMs: reportedPort.unknownMs, maintenanceMs: reportedPort.maintenanceMs },
      expectedPort,
    );
    t.equal(reportedPort.downMs, 0);
  });

  t.test('status --json agrees with the API (24 h)', async (t) => {
    const status = JSON.parse(await world.collector.cli(['status', '--json'])) as {
      agents: Array<{ id: string; lastSeq: number; storedResults: number; checks: Array<{ id: string; availability24h: number | null }> }>;
    };
    const api24h = await api.get<{ availability: number | null }>(`/api/v1/availability?scope=check&id=${agent.agentId}/web&window=24h`);
    const mine = status.agents.find((a) => a.id === agent.agentId)!;
    const statusWeb = mine.checks.find((c) => c.id === 'web')!.availability24h;
    t.comment(table('status --json vs API', [
      ['web availability24h', api24h.availability, statusWeb],
      ['web availability (own)', expectedWeb.upMs / (expectedWeb.upMs + expectedWeb.downMs), statusWeb],
      ['storedResults = lastSeq', mine.lastSeq, mine.storedResults],
    ]));
    t.equal(statusWeb, api24h.availability);
    t.equal(statusWeb, expectedWeb.upMs / (expectedWeb.upMs + expectedWeb.downMs), 'and both equal the own figure');
    t.equal(mine.storedResults, mine.lastSeq);
  });

  t.test('the monthly report (de) shows the same figures for web', async (t) => {
    const timeZone = client.timezone;
    const month = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(Date.now()).slice(0, 7);
    const out = join(world.dir, 'report.html');
    await world.collector.cli(['report', '--client', 'Praxis Dr. Weber', '--month', month, '--lang', 'de', '--out', out]);
    const html = readFileSync(out, 'utf8');
    const monthFigure = await api.get<{ availabilityPercent: string; downMs: number }>(
      `/api/v1/availability?scope=check&id=${agent.agentId}/web&window=${month}`,
    );
    const row = new RegExp(`<tr><td>e2e-praxis</td><td>Praxis-Website</td><td class="num">([^<]+)</td>\\s*<td class="num">([^<]+)</td>`).exec(html);
    const expectedPercent = `${monthFigure.availabilityPercent.replace('.', ',')} %`;
    const seconds = Math.ceil(expectedWeb.downMs / 1000);
    // German units as a reader sees them ("1 Min. 05 Sek."): derived from the own downtime, not copied from the report.
    const expectedDown = seconds >= 60 ? `${Math.floor(seconds / 60)} Min. ${String(seconds % 60).padStart(2, '0')} Sek.` : `${seconds} Sek.`;
    t.comment(table(`report ${month} (de) vs API`, [
      ['web availability', expectedPercent, row?.[1] ?? null],
      ['web downtime', expectedDown, row?.[2] ?? null],
      ['API month downMs = own', expectedWeb.downMs, monthFigure.downMs],
    ]));
    t.ok(row, 'the report has a row for the web check');
    t.equal(row?.[1], expectedPercent);
    t.equal(row?.[2], expectedDown);
    t.equal(monthFigure.downMs, expectedWeb.downMs, 'the month holds exactly the measured downtime');
  });
  t.test('the dashboard, as the consultant clicks it, draws the agent stop as a no-data span', async (t) => {
    const chromium = await launchChromium();
    t.teardown(() => chromium.close());
    const page = await (await chromium.newContext('de-DE')).newPage();
    await page.goto(world.collector.url + '/');
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill(world.collector.adminPassword());
    await page.locator('form.login button[type=submit]').click();
    await page.locator('#overview table').waitFor();
    await page.locator('#overview a', { hasText: 'Praxis Dr. Weber' }).first().click();
    await page.locator('a', { hasText: 'Praxis-Website' }).first().click();
    await page.locator('.band').waitFor();
    const spans = await page.locator('.band .seg[data-state=UNKNOWN]').evaluateAll((list) =>
      list.map((s) => ({ from: Number(s.getAttribute('data-from')), to: Number(s.getAttribute('data-to')), title: s.getAttribute('title') })));
    const stop = spans.find((s) => s.from > lastBeforeStop && s.to <= firstAfterRestart);
    t.comment(table('status band vs the rule', [['stop span from', lastBeforeStop + 2 * WEB_INTERVAL, stop?.from ?? null], ['stop span to', firstAfterRestart, stop?.to ?? null]]));
    t.same(stop && { from: stop.from, to: stop.to }, { from: lastBeforeStop + 2 * WEB_INTERVAL, to: firstAfterRestart }, 'one no-data span where the agent was stopped');
    t.match(stop?.title ?? '', /^Keine Daten: /, 'named in German for a German browser');
  });

  t.comment(`timeline: started ${started}, stop ${stopAt}–${restartAt}, end ${endAt}, transitions ${JSON.stringify(web.schedule.transitions)}`);
});
