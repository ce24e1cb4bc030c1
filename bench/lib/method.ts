import { cpus, loadavg, totalmem } from 'node:os';

/** The machine and runtime a figure was measured on, for every result line. */
export function method(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const cpu = cpus();
  return {
    node: process.version,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
    ...extra,
  };
}
