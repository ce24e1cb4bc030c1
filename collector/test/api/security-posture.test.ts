import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { OverviewResponseSchema, coded, type OverviewResponse } from '@nines/shared';
import { startWorld } from './helpers.ts';
import { result } from '../helpers/collector.ts';

t.test('each overview row carries the security posture: worst state and counts over the security kinds only', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const now = Date.now();
  const at = (n: number) => ({ startedAt: now - 60_000 + n, finishedAt: now - 60_000 + n + 5 });
  await w.c.store.insertResults(w.acmeAgent.agentId, [
    result(1, { checkId: 'fw', kind: 'firewall', status: 'CRIT', ...coded('firewall.inactive', { backend: 'nftables' }), metrics: { rules: 0 }, ...at(1) }),
    result(2, { checkId: 'av', kind: 'antivirus', status: 'OK', ...coded('antivirus.state', { product: 'ClamAV 1.4.6', signatureAgeMs: 3_600_000 }), metrics: { threats: 0 }, ...at(2) }),
    result(3, { checkId: 'admins', kind: 'admins', status: 'WARN', ...coded('admins.state', { group: 'sudo', members: 2, added: 'eve' }), metrics: {}, ...at(3) }),
    // not security: a full disk and an event pattern stay out of the posture (they are in counts and problems)
    result(4, { checkId: 'root', kind: 'disk', status: 'CRIT', message: '/ 99 % used', metrics: {}, ...at(4) }),
    result(5, { checkId: 'events', kind: 'eventlog', status: 'CRIT', message: '3 events', metrics: {}, ...at(5) }),
  ], now);
  await w.c.store.insertResults(w.globexAgent.agentId, [result(1, { ...at(1) })], now);

  const admin = await w.admin.json<OverviewResponse>('GET', '/api/v1/overview');
  t.equal(admin.status, 200);
  t.ok(Value.Check(OverviewResponseSchema, admin.body), 'the answer fits the shared schema');
  const acme = admin.body.clients.find((c) => c.name === 'acme')!;
  const globex = admin.body.clients.find((c) => c.name === 'globex')!;
  t.same(acme.security, { worst: 'CRIT', counts: { OK: 1, WARN: 1, CRIT: 1, UNKNOWN: 0 } });
  t.same(acme.counts, { OK: 1, WARN: 1, CRIT: 3, UNKNOWN: 0 }, 'the row counts still cover every check');
  t.same(globex.security, { worst: null, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 } }, 'no security check: no verdict, not OK');

  // The firewall is turned on again: the posture follows the latest result.
  await w.c.store.insertResults(w.acmeAgent.agentId, [
    result(6, { checkId: 'fw', kind: 'firewall', status: 'OK', ...coded('firewall.active', { backend: 'nftables', rules: 9 }), metrics: { rules: 9 }, startedAt: now - 1000, finishedAt: now - 995 }),
  ], now);
  // Written past ingest, so told as ingest tells after its commit: the overview in memory recomputes the row on this event.
  w.c.app.nines.events.emit('checksChanged', { agentId: w.acmeAgent.agentId, clientId: (await w.c.store.getAgent(w.acmeAgent.agentId))!.clientId, latest: [] });
  const own = await w.acmeUser.json<OverviewResponse>('GET', '/api/v1/overview');
  t.same(own.body.clients.map((c) => [c.name, c.security]), [['acme', { worst: 'WARN', counts: { OK: 2, WARN: 1, CRIT: 0, UNKNOWN: 0 } }]], "a client user sees its own row's posture only");
});
