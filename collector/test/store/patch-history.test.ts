import t from 'tap';
import type { Result } from '@nines/shared';
import { bothStores } from '../helpers/test-store.ts';
import { hashSecret } from '../../src/auth/secrets.ts';

// store.patchHistory.securityPendingSince over stored patch results (metric `security`, as agent/src/probes/patch/evaluate.ts sends it).

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T06:00:00Z');

bothStores(t, 'since when security updates have been pending, without a break', async (t, store) => {
  const { id: clientId } = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('tok'), clientId, 0, DAY);
  await store.enrollAgent(hashSecret('tok'), { id: 'a1', name: 'srv', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 0);
  let seq = 0;
  const patch = (checkId: string, day: number, metrics: Record<string, number>): Result =>
    ({ seq: ++seq, checkId, kind: 'patch', status: 'OK', message: 'x', metrics, startedAt: T0 + day * DAY, finishedAt: T0 + day * DAY + 100 });
  await store.insertResults('a1', [
    patch('p', 0, { security: 1 }), patch('p', 1, { security: 0 }), patch('p', 2, { security: 2 }), patch('p', 3, { security: 3 }),
    patch('unknown', 0, { security: 1 }), patch('unknown', 1, { pending: 4 }), patch('unknown', 2, { security: 1 }),
    patch('always', 0, { security: 1 }), patch('always', 1, { security: 1 }),
    patch('fixed', 0, { security: 1 }), patch('fixed', 1, { security: 0 }),
  ], T0 + 4 * DAY);
  t.equal(await store.patchHistory.securityPendingSince('a1', 'p'), T0 + 2 * DAY, 'the run after the last result without any');
  t.equal(await store.patchHistory.securityPendingSince('a1', 'unknown'), T0 + 2 * DAY, 'a result without the metric (security unknown) breaks the run');
  t.equal(await store.patchHistory.securityPendingSince('a1', 'always'), T0, 'pending in every stored result: since the first');
  t.equal(await store.patchHistory.securityPendingSince('a1', 'fixed'), null, 'none pending now');
  t.equal(await store.patchHistory.securityPendingSince('a1', 'nothing'), null, 'no results');
}, { now: T0 });
