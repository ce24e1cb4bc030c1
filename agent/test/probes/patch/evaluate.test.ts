import t from 'tap';
import { evaluatePatchState, patchThresholds } from '../../../src/probes/patch/evaluate.ts';
import { mergeFirstSeen } from '../../../src/probes/patch/state.ts';
import type { PatchState } from '../../../src/probes/patch/types.ts';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 25, 12, 0);
const defaults = patchThresholds({ kind: 'patch', id: 'patches' });
const state = (over: Partial<PatchState> = {}): PatchState => ({
  manager: 'apt',
  updates: [],
  securityKnown: true,
  rebootRequired: false,
  indexUpdatedAt: now - 3_600_000,
  collectedAt: now,
  ...over,
});
const bash = { name: 'bash', current: '5.2.15-2+b8', candidate: '5.2.15-2+b13', security: false };
const openssl = { name: 'libssl3', current: '3.0.17-1~deb12u2', candidate: '3.0.18-1~deb12u1', security: true };

t.test('nothing pending and a fresh index is OK with every metric', async (t) => {
  const out = evaluatePatchState(state(), {}, defaults, now);
  t.equal(out.status, 'OK');
  t.equal(out.message, 'apt: no updates pending; index 1 h old');
  t.same(out.metrics, { pending: 0, oldest_pending_s: 0, security: 0, reboot_required: 0, index_age_s: 3600 });
});

t.test('ordinary updates stay OK until they have been pending longer than pendingAfter (default 7 d)', async (t) => {
  const s = state({ updates: [bash] });
  t.equal(evaluatePatchState(s, { bash: now - 6 * DAY }, defaults, now).status, 'OK');
  const late = evaluatePatchState(s, { bash: now - 8 * DAY }, defaults, now);
  t.equal(late.status, 'WARN');
  t.match(late.message, /updates pending for 8 d \(limit 7 d\)/);
  t.equal(late.metrics!.oldest_pending_s, 8 * 86_400);
  t.equal(evaluatePatchState(s, { bash: now - 2 * DAY }, patchThresholds({ kind: 'patch', id: 'p', pendingAfter: '1d' }), now).status, 'WARN');
});

t.test('security updates are CRIT at once by default; status and delay are configurable', async (t) => {
  const s = state({ updates: [bash, openssl] });
  const out = evaluatePatchState(s, { bash: now, libssl3: now }, defaults, now);
  t.equal(out.status, 'CRIT');
  t.match(out.message, /2 updates pending, 1 security \(bash, libssl3\); index 1 h old — 1 security updates pending/);
  t.equal(out.metrics!.security, 1);
  t.equal(evaluatePatchState(s, { libssl3: now }, patchThresholds({ kind: 'patch', id: 'p', securityStatus: 'WARN' }), now).status, 'WARN');
  const delayed = patchThresholds({ kind: 'patch', id: 'p', securityAfter: '2d' });
  t.equal(evaluatePatchState(s, { libssl3: now - DAY }, delayed, now).status, 'OK');
  t.equal(evaluatePatchState(s, { libssl3: now - 3 * DAY }, delayed, now).status, 'CRIT');
});

t.test('a required reboot is WARN by default, with the packages that asked for it', async (t) => {
  const out = evaluatePatchState(state({ rebootRequired: true, rebootReason: 'updated: libc6' }), {}, defaults, now);
  t.equal(out.status, 'WARN');
  t.match(out.message, /reboot required \(updated: libc6\)/);
  t.equal(out.metrics!.reboot_required, 1);
  t.equal(evaluatePatchState(state({ rebootRequired: true }), {}, patchThresholds({ kind: 'patch', id: 'p', rebootStatus: 'CRIT' }), now).status, 'CRIT');
});

t.test('a stale index warns, because then "nothing pending" means nothing', async (t) => {
  const out = evaluatePatchState(state({ indexUpdatedAt: now - 30 * DAY }), {}, defaults, now);
  t.equal(out.status, 'WARN');
  t.match(out.message, /package index 30 d old \(limit 7 d\)/);
  t.equal(out.metrics!.index_age_s, 30 * 86_400);
});

t.test('unknowns are left out, not reported as 0', async (t) => {
  const out = evaluatePatchState(state({ manager: 'apk', securityKnown: false, rebootRequired: undefined, indexUpdatedAt: undefined, updates: [bash] }), {}, defaults, now);
  t.equal(out.metrics!.security, undefined);
  t.equal(out.metrics!.reboot_required, undefined);
  t.equal(out.metrics!.index_age_s, undefined);
  t.match(out.message, /1 updates pending, security unknown/);
});

t.test('details list every package with versions, security flag and since when', async (t) => {
  const out = evaluatePatchState(state({ updates: [bash, openssl], deferred: ['distro-info-data'] }), { bash: now - DAY, libssl3: now }, defaults, now);
  const details = out.details as { packages: unknown[]; deferred: string[] };
  t.same(details.packages, [
    { ...bash, pendingSince: now - DAY },
    { ...openssl, pendingSince: now },
  ]);
  t.same(details.deferred, ['distro-info-data']);
  t.equal(out.metrics!.deferred, 1);
});

t.test('first-seen: kept while pending, new ones start now, installed ones are forgotten, bad values reset', async (t) => {
  const merged = mergeFirstSeen({ bash: now - DAY, gone: now - 9 * DAY, libssl3: now + DAY }, [bash, openssl], now);
  t.same(merged, { bash: now - DAY, libssl3: now });
});
