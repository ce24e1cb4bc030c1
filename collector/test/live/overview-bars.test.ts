/**
 * A client with more hosts than an overview row draws, through the real agent sockets, the API and the live socket:
 * the list of all clients carries the worst OVERVIEW_BARS_PER_ROW hosts' bars and, per label, the worst of those
 * carrying it, with every host's name and the hosts per label; `?client=` carries every bar; a pushed row carries
 * the changed bar of a host the list leaves out, so the client page can replace it without a request.
 */
import t from 'tap';
import WebSocket from 'ws';
import { OVERVIEW_BARS_PER_ROW, type OverviewResponse, type Result } from '@nines/shared';
import { startWorld } from '../api/helpers.ts';
import { liveOverview, result, sendAcked, until } from '../helpers/collector.ts';

const HOUR = 3_600_000;
t.test('the list carries a few bars a row, ?client= all of them, a push the changed one the list left out', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const now = Date.now();
  // The scenario: two hosts failing (label web), three up with web, two up with db, three up without a label; the
  // world's own acme agent never sent anything (no state: last).
  const plan = [
    ...Array.from({ length: 2 }, () => ({ status: 'CRIT' as const, labels: ['web'] })),
    ...Array.from({ length: 3 }, () => ({ status: 'OK' as const, labels: ['web'] })),
    ...Array.from({ length: 2 }, () => ({ status: 'OK' as const, labels: ['db'] })),
    ...Array.from({ length: 3 }, () => ({ status: 'OK' as const, labels: [] as string[] })),
  ];
  const hosts: Array<{ status: 'OK' | 'CRIT'; labels: string[]; agentId: string; socket: WebSocket }> = [];
  for (const p of plan) {
    const { creds, socket } = await w.c.welcomedAgent('acme');
    t.teardown(() => socket.close());
    await sendAcked(socket, [result(1, { checkId: 'web', status: p.status, message: p.status, labels: p.labels, intervalMs: 60_000, startedAt: now - 1_000, finishedAt: now - 995 })]);
    hosts.push({ ...p, agentId: creds.agentId, socket });
  }
  const full = await w.admin.json<OverviewResponse>('GET', `/api/v1/overview?client=${w.acme}`);
  const nameOf = new Map(full.body.clients[0]!.beats.map((b) => [b.agentId, b.name]));
  t.equal(nameOf.size, plan.length + 1, 'with ?client=: a bar for every host');

  // The order the rows promise, from the scenario: failing first, then up, then without a state; by name within.
  const rank = (agentId: string) => {
    const status = hosts.find((h) => h.agentId === agentId)?.status;
    return status === 'CRIT' ? 0 : status === 'OK' ? 1 : 2;
  };
  const order = [...nameOf.keys()].sort((a, b) => rank(a) - rank(b) || nameOf.get(a)!.localeCompare(nameOf.get(b)!));
  t.same(full.body.clients[0]!.beats.map((b) => b.agentId), order, 'worst first, then by name');
  /** What the list carries of hosts in this order: the first few, and the first few with each label. */
  const carriedOf = (inOrder: string[]) => {
    const labelled = (label: string) => inOrder.filter((id) => hosts.find((h) => h.agentId === id)?.labels.includes(label));
    return new Set([...inOrder.slice(0, OVERVIEW_BARS_PER_ROW), ...labelled('web').slice(0, OVERVIEW_BARS_PER_ROW), ...labelled('db').slice(0, OVERVIEW_BARS_PER_ROW)]);
  };
  const carried = carriedOf(order);
  const expected = order.filter((id) => carried.has(id));

  const list = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  const row = list.body.clients.find((c) => c.id === w.acme)!;
  t.same(row.beats.map((b) => b.agentId), expected, `the list: the ${OVERVIEW_BARS_PER_ROW} worst hosts' bars and the worst ${OVERVIEW_BARS_PER_ROW} of each label (${expected.length} of ${order.length})`);
  t.same(row.hostNames, order.map((id) => nameOf.get(id)), "every host's name, in the same order");
  t.same(row.labelHosts, { web: 5, db: 2 }, 'hosts per label: 2 failing + 3 up with web, 2 with db');
  t.equal(row.hosts, plan.length + 1);
  t.same(row.beats, full.body.clients[0]!.beats.filter((b) => carried.has(b.agentId)), 'the bars carried are the same bars');

  // The last unlabelled up host is past the cap: at least two up hosts without a label rank before it.
  const unlabelledUp = order.filter((id) => hosts.find((h) => h.agentId === id && h.status === 'OK' && h.labels.length === 0));
  const hidden = unlabelledUp.at(-1)!;
  t.notOk(carried.has(hidden), 'a host the list carries no bar of');

  const { socket: live, rows: all } = await liveOverview(w.c.url, w.admin.cookie);
  t.teardown(() => live.close());
  const acmeRows = () => all.filter((m) => m.client.id === w.acme);
  const hiddenSocket = hosts.find((h) => h.agentId === hidden)!.socket;
  const cellAt = (at: number, beats: ReadonlyArray<{ agentId: string; cells: Array<{ from: number; to: number; state: string; upMs: number }> }>) =>
    beats.find((b) => b.agentId === hidden)?.cells.find((c) => c.from <= at && at < c.to);

  // A replayed up result of three hours ago on the hidden host (older than its newest, so no state changes) fills an
  // hour without data: the bar changes, its rank does not, and the list still leaves it out.
  const upAt = Math.floor(now / HOUR) * HOUR - 3 * HOUR + 10 * 60_000;
  t.equal(cellAt(upAt, full.body.clients[0]!.beats)?.state, 'NONE', 'that hour had no data');
  await sendAcked(hiddenSocket, [result(2, { checkId: 'web', status: 'OK', message: 'OK', startedAt: upAt, finishedAt: upAt + 5, intervalMs: 60_000 })]);
  // A lone result counts for 2 × its interval; the rest of the hour stays unmeasured.
  const upFor = (m: ReturnType<typeof acmeRows>[number]) => cellAt(upAt, m.bars)?.upMs === 2 * 60_000;
  t.ok(await until(() => acmeRows().some(upFor)), "pushed: the hidden host's bar, up for 2 min of that hour");
  const filled = acmeRows().find(upFor)!;
  t.same(filled.bars.map((b) => b.agentId), [hidden], 'only the bar that changed');
  t.same(filled.client.beats.map((b) => b.agentId), expected, 'the row as the list carries it: still without that host');

  // A replayed failure of the hour before last on the same host.
  const lateAt = Math.floor(now / HOUR) * HOUR - 2 * HOUR + 10 * 60_000;
  const late: Result = result(3, { checkId: 'web', status: 'CRIT', message: 'HTTP 502', startedAt: lateAt, finishedAt: lateAt + 5, intervalMs: 60_000 });
  await sendAcked(hiddenSocket, [late]);
  const cell = (beats: Parameters<typeof cellAt>[1]) => cellAt(lateAt, beats);
  t.ok(await until(() => acmeRows().some((m) => cell(m.bars)?.state === 'DOWN')), 'pushed: the hidden host\'s bar, that hour down');
  const push = acmeRows().find((m) => cell(m.bars)?.state === 'DOWN')!;
  t.same(push.bars.map((b) => b.agentId), [hidden], 'only the bar that changed');
  // With an hour down it ranks first of the up hosts (more hours with downtime), so now the list carries it.
  const reordered = [...order.filter((id) => rank(id) === 0), hidden, ...order.filter((id) => rank(id) !== 0 && id !== hidden)];
  const carriedNow = carriedOf(reordered);
  t.same(push.client.beats.map((b) => b.agentId), reordered.filter((id) => carriedNow.has(id)), 'the row as the list carries it: the host moved up to third');
  const after = await w.admin.json<OverviewResponse>('GET', `/api/v1/overview?client=${w.acme}`);
  t.equal(cell(after.body.clients[0]!.beats)?.state, 'DOWN', 'and ?client= reads it so');
});

t.test('labels named like object properties are counted as any other', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const { socket } = await w.c.welcomedAgent('acme');
  t.teardown(() => socket.close());
  await sendAcked(socket, [result(1, { checkId: 'web', status: 'OK', labels: ['__proto__', 'constructor'], intervalMs: 60_000 })]);
  const response = await fetch(`${w.c.url}/api/v1/overview`, { headers: { cookie: w.admin.cookie } });
  const text = await response.text();
  const row = (JSON.parse(text) as OverviewResponse).clients.find((c) => c.id === w.acme)!;
  t.same(Object.entries(row.labelHosts).sort(), [['__proto__', 1], ['constructor', 1]], 'both own keys, one host each');
  t.match(text, /"labelHosts":\{"__proto__":1,"constructor":1\}/, 'as sent');
});
