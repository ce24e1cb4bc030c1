import { statfs } from 'node:fs/promises';
import { errorMessage, type CheckDefinition, type CheckOutcome } from './check.ts';
import { withCode, type DiskCheckConfig, type Status } from '@nines/shared';

export interface DiskUsage {
  totalBytes: number;
  freeBytes: number; // available to unprivileged users, as df shows it
}

export function evaluateDisk(usage: DiskUsage, config: DiskCheckConfig): CheckOutcome {
  const used = usage.totalBytes - usage.freeBytes;
  const usedPercent = usage.totalBytes > 0 ? Math.round((used / usage.totalBytes) * 1000) / 10 : 0;
  const metrics = { used_percent: usedPercent, free_bytes: usage.freeBytes, total_bytes: usage.totalBytes };
  const reasons: string[] = [];
  let status: Status = 'OK';
  const raise = (to: Status, why: string) => {
    if (to === 'CRIT' || status === 'OK') status = to;
    reasons.push(why);
  };
  const critPct = config.critUsedPercent ?? 90;
  const warnPct = config.warnUsedPercent ?? 80;
  let usedLimitPercent: number | undefined;
  let freeLimitBytes: number | undefined;
  if (usedPercent >= critPct) raise('CRIT', `over ${(usedLimitPercent = critPct)} % used`);
  else if (usedPercent >= warnPct) raise('WARN', `over ${(usedLimitPercent = warnPct)} % used`);
  if (config.critFreeBytes !== undefined && usage.freeBytes < config.critFreeBytes) raise('CRIT', `less than ${gib((freeLimitBytes = config.critFreeBytes))} free`);
  else if (config.warnFreeBytes !== undefined && usage.freeBytes < config.warnFreeBytes) raise('WARN', `less than ${gib((freeLimitBytes = config.warnFreeBytes))} free`);
  const head = `${config.path}: ${usedPercent} % used, ${gib(usage.freeBytes)} free of ${gib(usage.totalBytes)}`;
  const params = { path: config.path, usedPercent, freeBytes: usage.freeBytes, totalBytes: usage.totalBytes, usedLimitPercent, freeLimitBytes };
  return { status, message: reasons.length ? `${head} (${reasons.join(', ')})` : head, ...withCode('disk.usage', params), metrics };
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

export const disk = {
  kind: 'disk',
  async run(config): Promise<CheckOutcome> {
    try {
      const s = await statfs(config.path);
      return evaluateDisk({ totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }, config);
    } catch (error) {
      return { status: 'UNKNOWN', message: `${config.path}: cannot read file system usage: ${errorMessage(error)}`, ...withCode('disk.unreadable', { path: config.path, error: errorMessage(error) }) };
    }
  },
} satisfies CheckDefinition<'disk'>;
