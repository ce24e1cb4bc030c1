import { DEFAULT_BACKUP_EVERY_MS, humanDuration, parseDuration, withCode, worstStatus, type BackupCheckConfig, type EpochMs, type Status } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';

/** What a probe found out about a job's last backup, whatever the tool. */
export interface BackupFacts {
  /** "restic snapshot 4f3a1b2c of srv1": names the thing the message talks about. */
  subject: string;
  /** When the last complete backup was taken; undefined when there is none. */
  lastBackupAt?: EpochMs;
  sizeBytes?: number;
  /** The size of the backup before the last, to notice a shrinking backup. */
  previousSizeBytes?: number;
  /** Tool-specific findings that make the job WARN or CRIT however fresh it is (last run failed, not verified). */
  problems?: { status: Status; reason: string }[];
  /** Metrics beyond age_s and size_bytes (count, duration_s). */
  metrics?: Record<string, number>;
  /** Snapshot id, paths, tags: whatever helps the consultant find the backup. */
  details?: Record<string, unknown>;
}

export interface FreshnessPolicy {
  everyMs: number;
  graceMs: number;
  /** Older than this is CRIT. */
  critAgeMs: number;
  minSizeBytes?: number;
  maxShrinkPercent?: number;
}

const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000; // NAS and server clocks drift by minutes, not more, when NTP works

export function freshnessPolicy(config: BackupCheckConfig): FreshnessPolicy {
  const everyMs = config.every === undefined ? DEFAULT_BACKUP_EVERY_MS : parseDuration(config.every);
  // A quarter of the interval: a nightly job may start late or run long by hours, an hourly one by minutes.
  const graceMs = config.grace === undefined ? Math.round(everyMs / 4) : parseDuration(config.grace);
  const critAgeMs = config.critAge === undefined ? 2 * everyMs + graceMs : parseDuration(config.critAge);
  const policy: FreshnessPolicy = { everyMs, graceMs, critAgeMs };
  if (config.minSizeBytes !== undefined) policy.minSizeBytes = config.minSizeBytes;
  if (config.maxShrinkPercent !== undefined) policy.maxShrinkPercent = config.maxShrinkPercent;
  return policy;
}

/**
 * The verdict on a job: OK while the last backup is at most `every + grace` old, WARN beyond that,
 * CRIT beyond `critAge`; no backup at all is CRIT; too small or shrinking is WARN; the probe's own
 * problems (failed run, failed verification) count as they are. Ages exactly at a limit are still inside it.
 */
export function evaluateFreshness(facts: BackupFacts, policy: FreshnessPolicy, now: EpochMs): CheckOutcome {
  const reasons: string[] = [];
  let status: Status = 'OK';
  const raise = (to: Status, why: string) => {
    status = worstStatus(status, to);
    reasons.push(why);
  };
  const metrics: Record<string, number> = { ...facts.metrics };
  const details: Record<string, unknown> = { ...facts.details };
  let head: string;
  const params: Record<string, string | number | undefined> = { subject: facts.subject };

  if (facts.lastBackupAt === undefined) {
    head = `${facts.subject}: no backup found`;
    status = 'CRIT';
  } else {
    const ageMs = now - facts.lastBackupAt;
    metrics.age_s = Math.max(0, Math.floor(ageMs / 1000));
    details.lastBackupAt = facts.lastBackupAt;
    params.ageMs = Math.max(0, ageMs);
    if (ageMs < -CLOCK_SKEW_TOLERANCE_MS) Object.assign(params, { futureMs: -ageMs, takenAt: facts.lastBackupAt });
    head = ageMs < 0 ? `${facts.subject} from ${new Date(facts.lastBackupAt).toISOString()}` : `${facts.subject}, ${humanDuration(ageMs)} old`;
    if (ageMs < -CLOCK_SKEW_TOLERANCE_MS) raise('WARN', `its time lies ${humanDuration(-ageMs)} in the future: check the clocks`);
    else if (ageMs > policy.critAgeMs) {
      params.critAgeMs = policy.critAgeMs;
      raise('CRIT', `older than the ${humanDuration(policy.critAgeMs)} limit`);
    } else if (ageMs > policy.everyMs + policy.graceMs) {
      Object.assign(params, { everyMs: policy.everyMs, graceMs: policy.graceMs });
      raise('WARN', `older than expected (every ${humanDuration(policy.everyMs)} + ${humanDuration(policy.graceMs)} grace)`);
    }
  }

  if (facts.sizeBytes !== undefined) {
    metrics.size_bytes = params.sizeBytes = facts.sizeBytes;
    head += `, ${formatBytes(facts.sizeBytes)}`;
    if (policy.minSizeBytes !== undefined && facts.sizeBytes < policy.minSizeBytes) {
      params.minSizeBytes = policy.minSizeBytes;
      raise('WARN', `smaller than the expected ${formatBytes(policy.minSizeBytes)}`);
    }
    const previous = facts.previousSizeBytes;
    if (policy.maxShrinkPercent !== undefined && previous !== undefined && previous > 0) {
      const shrunkPercent = ((previous - facts.sizeBytes) / previous) * 100;
      if (shrunkPercent > policy.maxShrinkPercent) {
        Object.assign(params, { shrunkPercent: Math.round(shrunkPercent), previousBytes: previous });
        raise('WARN', `${Math.round(shrunkPercent)} % smaller than the backup before (${formatBytes(previous)})`);
      }
    }
  } else if (facts.lastBackupAt !== undefined && (policy.minSizeBytes !== undefined || policy.maxShrinkPercent !== undefined)) {
    params.sizeUnknown = 1;
    raise('UNKNOWN', 'its size is unknown, so the size limits cannot be checked');
  }

  for (const problem of facts.problems ?? []) raise(problem.status, problem.reason);
  // A tool's own problem texts ("the last backup failed (…)") are not coded yet: they travel as written.
  if (facts.problems?.length) params.problem = facts.problems.map((p) => p.reason).join('; ');
  const message = reasons.length ? `${head} (${reasons.join('; ')})` : head;
  const code = facts.lastBackupAt === undefined
    ? withCode('backup.none', { subject: facts.subject, problem: params.problem as string | undefined })
    : withCode('backup.age', params as Parameters<typeof withCode<'backup.age'>>[1]);
  return { status, message, ...code, metrics, details };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
