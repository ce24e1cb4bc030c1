import { SMART_DEFAULT_LIMITS, coded, worstStatus, type SmartCheckConfig, type Status } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import { thresholdStatus } from '../../checks/check.ts';
import type { DiskHealth } from './parse.ts';

/** What one disk was read as: its facts, or why it could not be read. */
export type DiskReading = { device: string; health: DiskHealth } | { device: string; error: string };

export interface SmartLimits {
  warnTemperatureC: number;
  critTemperatureC: number;
  warnPercentUsed: number;
  critPercentUsed: number;
  warnReallocatedSectors: number;
  critReallocatedSectors: number;
  warnPendingSectors: number;
  critPendingSectors: number;
  warnMediaErrors: number;
}

/** The config's limits with the defaults filled in; temperature defaults depend on the kind of disk. */
export function smartLimits(config: Partial<SmartCheckConfig>, protocol: string): SmartLimits {
  const temps = protocol === 'NVMe' ? SMART_DEFAULT_LIMITS.nvme : SMART_DEFAULT_LIMITS.ata;
  return {
    warnTemperatureC: config.warnTemperatureC ?? temps.warnTemperatureC,
    critTemperatureC: config.critTemperatureC ?? temps.critTemperatureC,
    warnPercentUsed: config.warnPercentUsed ?? SMART_DEFAULT_LIMITS.warnPercentUsed,
    critPercentUsed: config.critPercentUsed ?? SMART_DEFAULT_LIMITS.critPercentUsed,
    warnReallocatedSectors: config.warnReallocatedSectors ?? SMART_DEFAULT_LIMITS.warnReallocatedSectors,
    critReallocatedSectors: config.critReallocatedSectors ?? SMART_DEFAULT_LIMITS.critReallocatedSectors,
    warnPendingSectors: config.warnPendingSectors ?? SMART_DEFAULT_LIMITS.warnPendingSectors,
    critPendingSectors: config.critPendingSectors ?? SMART_DEFAULT_LIMITS.critPendingSectors,
    warnMediaErrors: config.warnMediaErrors ?? SMART_DEFAULT_LIMITS.warnMediaErrors,
  };
}

/** One disk's verdict and the findings that made it, as message params (only the ones that are not OK). */
export interface DiskVerdict {
  status: Status;
  findings: {
    failed?: 1; failedAttribute?: string; criticalWarning?: number; reallocated?: number; pending?: number; uncorrectable?: number;
    percentUsed?: number; percentUsedLimit?: number; mediaErrors?: number; temperatureC?: number; temperatureLimitC?: number;
  };
}

export function evaluateDisk(disk: DiskHealth, limits: SmartLimits): DiskVerdict {
  let status: Status = 'OK';
  const findings: DiskVerdict['findings'] = {};
  const raise = (s: Status) => (status = worstStatus(status, s));
  // The disk's own verdict outranks every threshold: smartctl says FAILED when the maker's limits are crossed.
  if (disk.passed === false) {
    raise('CRIT');
    findings.failed = 1;
  }
  if (disk.failingAttributes.length > 0) {
    raise('CRIT');
    findings.failedAttribute = disk.failingAttributes.join(', ');
  }
  if (disk.criticalWarning !== undefined && disk.criticalWarning !== 0) {
    raise('CRIT');
    findings.criticalWarning = disk.criticalWarning;
  }
  const counted: [number | undefined, number, number, 'reallocated' | 'pending' | 'uncorrectable'][] = [
    [disk.reallocatedSectors, limits.warnReallocatedSectors, limits.critReallocatedSectors, 'reallocated'],
    [disk.pendingSectors, limits.warnPendingSectors, limits.critPendingSectors, 'pending'],
    [disk.uncorrectableSectors, limits.warnPendingSectors, limits.critPendingSectors, 'uncorrectable'],
  ];
  for (const [value, warn, crit, key] of counted) {
    if (value === undefined) continue;
    const s = thresholdStatus(value, warn, crit);
    if (s !== 'OK') {
      raise(s);
      findings[key] = value;
    }
  }
  if (disk.percentUsed !== undefined) {
    const s = thresholdStatus(disk.percentUsed, limits.warnPercentUsed, limits.critPercentUsed);
    if (s !== 'OK') {
      raise(s);
      findings.percentUsed = disk.percentUsed;
      findings.percentUsedLimit = s === 'CRIT' ? limits.critPercentUsed : limits.warnPercentUsed;
    }
  }
  if (disk.mediaErrors !== undefined && disk.mediaErrors >= limits.warnMediaErrors) {
    raise('WARN');
    findings.mediaErrors = disk.mediaErrors;
  }
  if (disk.temperatureC !== undefined) {
    const s = thresholdStatus(disk.temperatureC, limits.warnTemperatureC, limits.critTemperatureC);
    if (s !== 'OK') {
      raise(s);
      findings.temperatureC = disk.temperatureC;
      findings.temperatureLimitC = s === 'CRIT' ? limits.critTemperatureC : limits.warnTemperatureC;
    }
  }
  return { status, findings };
}

const severity: Record<Status, number> = { OK: 0, UNKNOWN: 1, WARN: 2, CRIT: 3 };

/**
 * All disks in one result: the worst disk names the status and the message; a disk that could not be read
 * makes the check UNKNOWN unless another disk is already WARN or CRIT (then the message counts it).
 */
export function evaluateSmart(readings: readonly DiskReading[], config: Partial<SmartCheckConfig>): CheckOutcome {
  if (readings.length === 0) return { status: 'UNKNOWN', ...coded('smart.no_disks', {}) };
  const judged = readings.flatMap((r) => ('health' in r ? [{ health: r.health, verdict: evaluateDisk(r.health, smartLimits(config, r.health.protocol)) }] : []));
  const unreadable = readings.flatMap((r) => ('error' in r ? [r] : []));
  const metrics: Record<string, number> = { disks: readings.length, disks_unreadable: unreadable.length };
  const temperatures = judged.flatMap((j) => (j.health.temperatureC === undefined ? [] : [j.health.temperatureC]));
  if (temperatures.length) metrics.max_temperature_c = Math.max(...temperatures);
  const sum = (pick: (h: DiskHealth) => number | undefined) => judged.reduce((n, j) => n + (pick(j.health) ?? 0), 0);
  metrics.reallocated_sectors = sum((h) => h.reallocatedSectors);
  metrics.pending_sectors = sum((h) => h.pendingSectors);
  const used = judged.flatMap((j) => (j.health.percentUsed === undefined ? [] : [j.health.percentUsed]));
  if (used.length) metrics.max_percent_used = Math.max(...used);
  const details = {
    disks: [
      ...judged.map((j) => ({ ...j.health, status: j.verdict.status })),
      ...unreadable.map((u) => ({ device: u.device, status: 'UNKNOWN' as const, error: u.error })),
    ],
  };

  const worst = [...judged].sort((a, b) => severity[b.verdict.status] - severity[a.verdict.status])[0];
  if (worst && worst.verdict.status !== 'OK') {
    const others = judged.filter((j) => j !== worst && j.verdict.status !== 'OK').length;
    return {
      status: worst.verdict.status,
      metrics,
      details,
      ...coded('smart.health', {
        disks: readings.length,
        device: worst.health.device,
        model: worst.health.model,
        ...worst.verdict.findings,
        otherDisksNotOk: others || undefined,
        unreadable: unreadable.length || undefined,
      }),
    };
  }
  const firstUnreadable = unreadable[0];
  if (firstUnreadable) {
    return { status: 'UNKNOWN', metrics, details, ...coded('smart.probe_failed', { device: firstUnreadable.device, error: firstUnreadable.error }) };
  }
  return { status: 'OK', metrics, details, ...coded('smart.health', { disks: readings.length, maxTemperatureC: metrics.max_temperature_c }) };
}
