/**
 * The heartbeat bars in the live overview, through the real agent socket and the real live socket: a replayed
 * result of an earlier hour (which changes no check's latest state) still reaches the bar, pushed as the row.
 */
import t from 'tap';
import type { OverviewResponse, Result } from '@nines/shared';
import { startWorld } from '../api/helpers.ts';
import { hello, liveOverview, nextMessage, result, sendAcked, until } from '../helpers/collector.ts';

const HOUR = 3_600_000;
t.test('a late result of an earlier hour turns that cell down, pushed without a request', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const socket = await w.c.agentSocket(w.acmeAgent);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const { socket: live, rows: all } = await liveOverview(w.c.url, w.admin.cookie);
  const rows = () => all.filter((m) => m.client.id === w.acme);
  t.teardown(() => (socket.close(), live.close()));

  const now = Date.now();
  await sendAcked(socket, [result(1, { checkId: 'web', status: 'OK', startedAt: now - 1_000, finishedAt: now - 995, intervalMs: 60_000 })]);
  const first = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  const bar = () => first.body.clients.find((c) => c.id === w.acme)!.beats.find((b) => b.agentId === w.acmeAgent.agentId)!;
  const lateAt = Math.floor(now / HOUR) * HOUR - 2 * HOUR + 10 * 60_000; // 10 min into the hour before last
  const lateCell = bar().cells.find((c) => c.from <= lateAt && lateAt < c.to)!;
  t.equal(lateCell.state, 'NONE', 'that hour has no data yet');
  all.length = 0;

  // The agent replays what it spooled while away: older than the newest result, so no check's state changes.
  const late: Result = result(2, { checkId: 'web', status: 'CRIT', message: 'HTTP 502', startedAt: lateAt, finishedAt: lateAt + 5, intervalMs: 60_000 });
  await sendAcked(socket, [late]);
  const pushed = () => rows().at(-1)?.client.beats.find((b) => b.agentId === w.acmeAgent.agentId)?.cells.find((c) => c.from === lateCell.from);
  t.ok(await until(() => pushed()?.state === 'DOWN'), 'the row was pushed with that hour down');
  t.equal(pushed()!.downMs, 2 * 60_000, 'down for the 2 × interval the lone result counts');
  t.equal(rows().at(-1)!.client.worst, 'OK', 'while the check itself is still OK (its newest result)');
});
