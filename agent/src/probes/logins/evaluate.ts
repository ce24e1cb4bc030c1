import {
  byCodeUnit, coded, worstStatus, LOGINS_DEFAULT_CRIT_FAILURES, LOGINS_DEFAULT_NEW_SOURCE_HOLD_MS, LOGINS_DEFAULT_WARN_FAILURES, LOGINS_DEFAULT_WINDOW_MS,
  parseDuration, type EpochMs, type LoginsCheckConfig, type Status,
} from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import { thresholdStatus } from '../../checks/check.ts';
import type { LoginEvent } from './parse.ts';

/** Sources each user has logged in from: first-seen time, 0 for those learnt on the first run (the baseline). */
export type KnownSources = Record<string, Record<string, EpochMs>>;

const MAX_KNOWN = 2_000; // users × sources kept; an office with roaming laptops stays far below
const TOP_SOURCES = 3;

export function windowMs(config: Pick<LoginsCheckConfig, 'window'>): number {
  return config.window === undefined ? LOGINS_DEFAULT_WINDOW_MS : parseDuration(config.window);
}

/**
 * Failures in the window against the limits, and successful logins from a source new for that user.
 * `known` undefined means the first run: every source seen is learnt as the baseline, none reported.
 */
export function evaluateLogins(
  events: readonly LoginEvent[], known: KnownSources | undefined, config: Partial<LoginsCheckConfig>, now: EpochMs,
): { outcome: CheckOutcome; known: KnownSources } {
  const window = windowMs(config);
  const ignored = new Set(config.ignoreSources ?? []);
  const recent = events.filter((e) => e.at > now - window && e.at <= now + 60_000 && !ignored.has(e.source));
  const failures = recent.filter((e) => e.outcome === 'failed');
  const bySource = new Map<string, number>();
  for (const f of failures) bySource.set(f.source, (bySource.get(f.source) ?? 0) + 1);
  const top = [...bySource.entries()].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0])).slice(0, TOP_SOURCES);

  const learning = known === undefined;
  const next: KnownSources = structuredClone(known ?? {});
  for (const e of recent) {
    if (e.outcome !== 'accepted') continue;
    const sources = (next[e.user] ??= {});
    if (!(e.source in sources)) sources[e.source] = learning ? 0 : e.at;
  }
  const hold = config.newSourceHold === undefined ? LOGINS_DEFAULT_NEW_SOURCE_HOLD_MS : parseDuration(config.newSourceHold);
  const fresh = Object.entries(next)
    .flatMap(([user, sources]) => Object.entries(sources).map(([source, firstSeen]) => ({ user, source, firstSeen })))
    .filter((s) => s.firstSeen > 0 && now - s.firstSeen < hold)
    .sort((a, b) => b.firstSeen - a.firstSeen);

  const warn = config.warnFailures ?? LOGINS_DEFAULT_WARN_FAILURES;
  const crit = config.critFailures ?? LOGINS_DEFAULT_CRIT_FAILURES;
  const failureStatus = thresholdStatus(failures.length, warn, crit);
  const newStatus: Status = fresh.length ? (config.newSourceStatus ?? 'WARN') : 'OK';
  const status = worstStatus(failureStatus, newStatus);

  const outcome: CheckOutcome = {
    status,
    metrics: { failed_logins: failures.length, failed_sources: bySource.size, accepted_logins: recent.length - failures.length, new_sources: fresh.length },
    details: { topSources: top.map(([source, count]) => ({ source, count })), newSources: fresh.slice(0, 20) },
    ...coded('logins.summary', {
      failures: failures.length,
      windowMs: window,
      topSources: top.length ? top.map(([source, count]) => `${source} (${count})`).join(', ') : undefined,
      failureLimit: failureStatus === 'CRIT' ? crit : failureStatus === 'WARN' ? warn : undefined,
      newSources: fresh.length ? fresh.slice(0, TOP_SOURCES).map((s) => `${s.user}@${s.source}`).join(', ') : undefined,
      newCount: fresh.length || undefined,
      learning: learning ? 1 : undefined,
    }),
  };
  return { outcome, known: prune(next) };
}

/** Keeps the state file bounded: the newest first-seen entries win, baseline entries after them. */
function prune(known: KnownSources): KnownSources {
  const all = Object.entries(known).flatMap(([user, sources]) => Object.entries(sources).map(([source, at]) => ({ user, source, at })));
  if (all.length <= MAX_KNOWN) return known;
  const kept: KnownSources = {};
  for (const s of all.sort((a, b) => b.at - a.at).slice(0, MAX_KNOWN)) (kept[s.user] ??= {})[s.source] = s.at;
  return kept;
}
