import { ANTIVIRUS_DEFAULT_INTERVAL_MS, coded, type AntivirusCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { binaryOnPath } from '../probes/patch/detect.ts';
import { collectAntivirus, linuxProcessNames, readFileInfo, type AntivirusContext } from '../probes/antivirus/collect.ts';
import { evaluateAntivirus, threatWindowMs } from '../probes/antivirus/evaluate.ts';
import { AntivirusProbeError } from '../probes/antivirus/parse.ts';

type Machine = Pick<AntivirusContext, 'platform' | 'onPath' | 'processNames' | 'utcOffsetMinutes' | 'readFileInfo'>;
const thisMachine: Machine = {
  platform: process.platform,
  onPath: (name) => binaryOnPath(name),
  processNames: linuxProcessNames,
  utcOffsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
  readFileInfo,
};

export async function runAntivirusCheck(config: AntivirusCheckConfig, ctx: CheckContext, machine: Machine = thisMachine): Promise<CheckOutcome> {
  const now = ctx.clock();
  try {
    const state = await collectAntivirus({ exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, ...machine }, config, now - threatWindowMs(config), now);
    return evaluateAntivirus(state, config, now);
  } catch (error) {
    if (!(error instanceof AntivirusProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('antivirus.probe_failed', { product: config.product ?? 'auto', error: error.message }) };
  }
}

export const antivirus = {
  kind: 'antivirus',
  defaultIntervalMs: ANTIVIRUS_DEFAULT_INTERVAL_MS,
  defaultTimeoutMs: 60_000, // Get-MpComputerStatus takes seconds on a busy PC, Get-MpThreatDetection more
  run: (config, ctx) => runAntivirusCheck(config, ctx),
} satisfies CheckDefinition<'antivirus'>;
