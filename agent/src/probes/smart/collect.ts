import type { SmartCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import type { DiskReading } from './evaluate.ts';
import { parseDevice, parseScan, SmartProbeError, type ScannedDevice } from './parse.ts';

export type SmartContext = Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'>;

/** Runs smartctl once; its exit code is a bit mask of findings, so any exit with JSON on stdout is an answer. */
async function smartctl(ctx: SmartContext, program: string, args: string[]): Promise<string> {
  const run = await ctx.exec(program, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code === null) throw new SmartProbeError(run.failure === 'not-found' ? `${program} is not installed (package smartmontools)` : describeExecFailure(run));
  if (!run.stdout.trim()) throw new SmartProbeError(`${program} ${args.join(' ')}: no output, ${describeExecFailure(run)}`);
  return run.stdout;
}

/** The disks to read: the configured ones, or every one `smartctl --scan` lists. */
export async function smartDevices(ctx: SmartContext, config: Pick<SmartCheckConfig, 'devices' | 'program'>): Promise<ScannedDevice[]> {
  if (config.devices) return config.devices.map((name) => ({ name }));
  return parseScan(await smartctl(ctx, config.program ?? 'smartctl', ['--scan', '-j']));
}

/** Reads every disk, one after the other (smartctl on several disks at once competes for the same controller). */
export async function collectSmart(ctx: SmartContext, config: Pick<SmartCheckConfig, 'devices' | 'program'>): Promise<DiskReading[]> {
  const program = config.program ?? 'smartctl';
  const readings: DiskReading[] = [];
  for (const device of await smartDevices(ctx, config)) {
    // -d with the scanned type: a disk behind a USB bridge is read as scan found it, not re-guessed
    const args = ['-j', '-a', ...(device.type ? ['-d', device.type] : []), device.name];
    try {
      readings.push({ device: device.name, health: parseDevice(await smartctl(ctx, program, args), device.name) });
    } catch (error) {
      if (!(error instanceof SmartProbeError)) throw error;
      readings.push({ device: device.name, error: error.message });
    }
  }
  return readings;
}
