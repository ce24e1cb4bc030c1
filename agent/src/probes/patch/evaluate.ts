import {
  humanDuration,
  parseDuration,
  worstStatus,
  PATCH_DEFAULT_INDEX_MAX_AGE_MS,
  PATCH_DEFAULT_PENDING_AFTER_MS,
  type EpochMs,
  type PatchCheckConfig,
  type Status,
  withCode,
} from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import type { FirstSeen } from './state.ts';
import type { PatchState } from './types.ts';

export interface PatchThresholds {
  pendingAfterMs: number;
  securityAfterMs: number;
  securityStatus: Status;
  rebootStatus: Status;
  indexMaxAgeMs: number;
}

export function patchThresholds(config: PatchCheckConfig): PatchThresholds {
  return {
    pendingAfterMs: config.pendingAfter === undefined ? PATCH_DEFAULT_PENDING_AFTER_MS : parseDuration(config.pendingAfter),
    securityAfterMs: config.securityAfter === undefined ? 0 : parseDuration(config.securityAfter),
    securityStatus: config.securityStatus ?? 'CRIT',
    rebootStatus: config.rebootStatus ?? 'WARN',
    indexMaxAgeMs: config.indexMaxAge === undefined ? PATCH_DEFAULT_INDEX_MAX_AGE_MS : parseDuration(config.indexMaxAge),
  };
}

const MAX_LISTED_IN_MESSAGE = 5; // the message names a few; the full list is in details

/** Pure: a manager's answer + since-when + thresholds + now → the verdict a person reads. */
export function evaluatePatchState(state: PatchState, firstSeen: FirstSeen, t: PatchThresholds, now: EpochMs): CheckOutcome {
  const pendingFor = (name: string) => Math.max(0, now - (firstSeen[name] ?? now));
  const security = state.updates.filter((u) => u.security);
  const oldestMs = Math.max(0, ...state.updates.map((u) => pendingFor(u.name)));
  const oldestSecurityMs = Math.max(0, ...security.map((u) => pendingFor(u.name)));
  const indexAgeMs = state.indexUpdatedAt === undefined ? undefined : Math.max(0, now - state.indexUpdatedAt);

  let status: Status = 'OK';
  const reasons: string[] = [];
  const raise = (to: Status, why: string) => {
    status = worstStatus(status, to);
    if (to !== 'OK') reasons.push(why);
  };

  const parts: string[] = [];
  if (state.updates.length === 0) parts.push('no updates pending');
  else {
    const sec = state.securityKnown ? `, ${security.length} security` : ', security unknown';
    const names = state.updates.slice(0, MAX_LISTED_IN_MESSAGE).map((u) => u.name).join(', ');
    const more = state.updates.length > MAX_LISTED_IN_MESSAGE ? ', …' : '';
    parts.push(`${state.updates.length} updates pending${sec} (${names}${more})`);
  }
  const securityOverdue = security.length > 0 && oldestSecurityMs >= t.securityAfterMs;
  if (securityOverdue) raise(t.securityStatus, `${security.length} security updates pending`);
  const pendingTooLong = state.updates.length > 0 && oldestMs >= t.pendingAfterMs;
  if (pendingTooLong) raise('WARN', `updates pending for ${humanDuration(oldestMs)} (limit ${humanDuration(t.pendingAfterMs)})`);
  if (state.rebootRequired === true) {
    raise(t.rebootStatus, `reboot required${state.rebootReason ? ` (${state.rebootReason})` : ''}`);
  }
  const indexTooOld = indexAgeMs !== undefined && indexAgeMs > t.indexMaxAgeMs;
  if (indexTooOld) {
    raise('WARN', `package index ${humanDuration(indexAgeMs)} old (limit ${humanDuration(t.indexMaxAgeMs)}): updates since then are not seen`);
  }
  if (state.deferred?.length) parts.push(`${state.deferred.length} phased updates deferred`);
  if (indexAgeMs !== undefined) parts.push(`index ${humanDuration(indexAgeMs)} old`);

  const metrics: Record<string, number> = {
    pending: state.updates.length,
    oldest_pending_s: Math.floor(oldestMs / 1000),
  };
  if (state.securityKnown) metrics.security = security.length;
  if (state.rebootRequired !== undefined) metrics.reboot_required = state.rebootRequired ? 1 : 0;
  if (indexAgeMs !== undefined) metrics.index_age_s = Math.floor(indexAgeMs / 1000);
  if (state.deferred) metrics.deferred = state.deferred.length;

  const details = {
    manager: state.manager,
    collectedAt: state.collectedAt,
    securityKnown: state.securityKnown,
    rebootRequired: state.rebootRequired ?? null,
    ...(state.rebootReason ? { rebootReason: state.rebootReason } : {}),
    indexUpdatedAt: state.indexUpdatedAt ?? null,
    packages: state.updates.map((u) => ({ ...u, pendingSince: firstSeen[u.name] ?? now })),
    ...(state.deferred?.length ? { deferred: state.deferred } : {}),
  };
  const head = `${state.manager}: ${parts.join('; ')}`;
  const params = {
    manager: state.manager,
    pending: state.updates.length,
    security: security.length,
    names: state.updates.length ? state.updates.slice(0, MAX_LISTED_IN_MESSAGE).map((u) => u.name).join(', ') : undefined,
    more: state.updates.length > MAX_LISTED_IN_MESSAGE ? (1 as const) : undefined,
    securityUnknown: state.securityKnown ? undefined : (1 as const),
    securityOverdue: securityOverdue ? (1 as const) : undefined,
    pendingForMs: pendingTooLong ? oldestMs : undefined,
    pendingLimitMs: pendingTooLong ? t.pendingAfterMs : undefined,
    reboot: state.rebootRequired === true ? (1 as const) : undefined,
    rebootReason: state.rebootRequired === true ? state.rebootReason : undefined,
    indexAgeMs,
    indexLimitMs: indexTooOld ? t.indexMaxAgeMs : undefined,
    indexTooOld: indexTooOld ? (1 as const) : undefined,
    deferred: state.deferred?.length || undefined,
  };
  return { status, message: reasons.length ? `${head} — ${reasons.join('; ')}` : head, ...withCode('patch.pending', params), metrics, details };
}
