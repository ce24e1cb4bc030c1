import { test } from 'tap';
import type { Result } from '@nines/shared';
import { CollectorEvents } from '../../src/events.ts';
import { LiveHub } from '../../src/live/hub.ts';
import { connectLiveFeed } from '../../src/live/feed.ts';

const result = (checkId: string, status: Result['status'], extra: Partial<Result> = {}): Result => ({
  seq: 1, checkId, kind: 'http', name: `Web ${checkId}`, status, message: `${checkId} ${status}`, metrics: { latencyMs: 12 },
  startedAt: 1_000, finishedAt: 1_050, ...extra,
});

test('the live feed tells dashboards what the post-commit events say, per tenant, and stops when detached', async (t) => {
  const events = new CollectorEvents();
  const hub = new LiveHub();
  const admin: unknown[] = [];
  const tenant7: unknown[] = [];
  hub.subscribe({ clientIds: null, send: (f) => admin.push(JSON.parse(f)) });
  hub.subscribe({ clientIds: new Set([7]), send: (f) => tenant7.push(JSON.parse(f)) });
  const detach = connectLiveFeed(events, hub);

  events.emit('checksChanged', { agentId: 'a1', clientId: 7, latest: [result('web', 'CRIT', { code: 'http.status', params: { status: 503 } }), result('db', 'OK')] });
  events.emit('agentConnection', { agentId: 'a2', clientId: 9, connected: false, at: 5_000 });
  events.emit('resultsStored', { agentId: 'a1', clientId: 7, inserted: [result('web', 'CRIT')], receivedAt: 2_000 }); // not a live message by itself

  const web = { type: 'check', agentId: 'a1', checkId: 'web', kind: 'http', name: 'Web web', status: 'CRIT', message: 'web CRIT', metrics: { latencyMs: 12 }, at: 1_000, code: 'http.status', params: { status: 503 } };
  const db = { type: 'check', agentId: 'a1', checkId: 'db', kind: 'http', name: 'Web db', status: 'OK', message: 'db OK', metrics: { latencyMs: 12 }, at: 1_000 };
  const down = { type: 'agent', agentId: 'a2', connected: false, lastSeenAt: 5_000 };
  t.same(admin, [web, db, down], 'the admin sees every tenant, in order');
  t.same(tenant7, [web, db], "client 7 never sees client 9's agent");

  detach();
  events.emit('agentConnection', { agentId: 'a1', clientId: 7, connected: true, at: 6_000 });
  t.equal(admin.length, 3, 'nothing after detaching');
  t.equal(events.listenerCount('checksChanged') + events.listenerCount('agentConnection'), 0);
});
