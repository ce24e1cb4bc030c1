/** Memory in use, as "not available to new programs": Linux's MemAvailable, elsewhere what Node's os module reports. */
import { readFile } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { withCode, type MemoryCheckConfig, type Status } from '@nines/shared';
import { errorMessage, type CheckDefinition, type CheckOutcome } from './check.ts';

export interface MemoryUsage {
  totalBytes: number;
  availableBytes: number;
  swapTotalBytes?: number;
  swapFreeBytes?: number;
}

/** /proc/meminfo ("MemAvailable:   12345 kB"); null when the kernel's fields are missing (kernels before 3.14). */
export function parseMeminfo(text: string): MemoryUsage | null {
  const kib = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const totalBytes = kib('MemTotal');
  const availableBytes = kib('MemAvailable');
  if (totalBytes === undefined || availableBytes === undefined) return null;
  const usage: MemoryUsage = { totalBytes, availableBytes };
  const swapTotal = kib('SwapTotal');
  const swapFree = kib('SwapFree');
  if (swapTotal !== undefined && swapFree !== undefined) Object.assign(usage, { swapTotalBytes: swapTotal, swapFreeBytes: swapFree });
  return usage;
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function evaluateMemory(usage: MemoryUsage, config: MemoryCheckConfig): CheckOutcome {
  const usedPercent = percent(usage.totalBytes - usage.availableBytes, usage.totalBytes);
  const metrics: Record<string, number> = { used_percent: usedPercent, available_bytes: usage.availableBytes, total_bytes: usage.totalBytes };
  let status: Status = 'OK';
  const reasons: string[] = [];
  const raise = (to: Status, why: string) => {
    if (to === 'CRIT' || status === 'OK') status = to;
    reasons.push(why);
  };
  const crit = config.critUsedPercent ?? 95;
  const warn = config.warnUsedPercent ?? 90;
  let usedLimitPercent: number | undefined;
  let swapLimitPercent: number | undefined;
  let swapUsedPercent: number | undefined;
  if (usedPercent >= crit) raise('CRIT', `over ${(usedLimitPercent = crit)} % used`);
  else if (usedPercent >= warn) raise('WARN', `over ${(usedLimitPercent = warn)} % used`);
  let head = `memory ${usedPercent} % used, ${gib(usage.availableBytes)} available of ${gib(usage.totalBytes)}`;
  if (usage.swapTotalBytes !== undefined && usage.swapFreeBytes !== undefined && usage.swapTotalBytes > 0) {
    const swapPercent = percent(usage.swapTotalBytes - usage.swapFreeBytes, usage.swapTotalBytes);
    metrics.swap_used_percent = swapUsedPercent = swapPercent;
    head += `, swap ${swapPercent} % used`;
    if (config.critSwapUsedPercent !== undefined && swapPercent >= config.critSwapUsedPercent) raise('CRIT', `swap over ${(swapLimitPercent = config.critSwapUsedPercent)} % used`);
    else if (config.warnSwapUsedPercent !== undefined && swapPercent >= config.warnSwapUsedPercent) raise('WARN', `swap over ${(swapLimitPercent = config.warnSwapUsedPercent)} % used`);
  }
  const params = { usedPercent, availableBytes: usage.availableBytes, totalBytes: usage.totalBytes, swapUsedPercent, usedLimitPercent, swapLimitPercent };
  return { status, message: reasons.length ? `${head} (${reasons.join(', ')})` : head, ...withCode('memory.usage', params), metrics };
}

export async function readMemoryUsage(platform: NodeJS.Platform): Promise<MemoryUsage> {
  if (platform === 'linux') {
    const parsed = parseMeminfo(await readFile('/proc/meminfo', 'utf8'));
    if (parsed) return parsed;
  }
  return { totalBytes: totalmem(), availableBytes: freemem() };
}

export const memory = {
  kind: 'memory',
  async run(config): Promise<CheckOutcome> {
    try {
      return evaluateMemory(await readMemoryUsage(process.platform), config);
    } catch (error) {
      return { status: 'UNKNOWN', message: `cannot read memory usage: ${errorMessage(error)}`, ...withCode('memory.unreadable', { error: errorMessage(error) }) };
    }
  },
} satisfies CheckDefinition<'memory'>;
