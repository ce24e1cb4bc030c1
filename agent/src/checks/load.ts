/** Load average per CPU; graded on the 5-minute value, which ignores a short burst but catches a stuck box. */
import { availableParallelism, loadavg } from 'node:os';
import { withCode, type LoadCheckConfig } from '@nines/shared';
import { thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';

export interface LoadSample {
  load: [number, number, number];
  cpus: number;
}

export function evaluateLoad(sample: LoadSample, config: LoadCheckConfig, platform: NodeJS.Platform): CheckOutcome {
  if (platform === 'win32') return { status: 'UNKNOWN', message: 'Windows has no load average; use a command check for CPU queue length', ...withCode('load.unsupported', {}) };
  const [l1, l5, l15] = sample.load;
  const perCpu = Math.round((l5 / Math.max(1, sample.cpus)) * 100) / 100;
  const warn = config.warnPerCpu ?? 2;
  const crit = config.critPerCpu ?? 4;
  const status = thresholdStatus(perCpu, warn, crit);
  const metrics = { load1: l1, load5: l5, load15: l15, load5_per_cpu: perCpu, cpus_count: sample.cpus };
  const head = `load ${l1.toFixed(2)}, ${l5.toFixed(2)}, ${l15.toFixed(2)} on ${sample.cpus} CPUs (${perCpu} per CPU over 5 min)`;
  const limitPerCpu = status === 'OK' ? undefined : status === 'CRIT' ? crit : warn;
  const params = { load1: l1, load5: l5, load15: l15, cpus: sample.cpus, perCpu, limitPerCpu };
  return { status, message: status === 'OK' ? head : `${head}: ≥ ${limitPerCpu} per CPU`, ...withCode('load.average', params), metrics };
}

export const load = {
  kind: 'load',
  async run(config): Promise<CheckOutcome> {
    return evaluateLoad({ load: loadavg() as [number, number, number], cpus: availableParallelism() }, config, process.platform);
  },
} satisfies CheckDefinition<'load'>;
