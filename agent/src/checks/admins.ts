import { ADMINS_DEFAULT_INTERVAL_MS, coded, type AdminsCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { errorMessage } from './check.ts';
import { collectAdmins, readBaseline, writeBaseline } from '../probes/admins/collect.ts';
import { evaluateAdmins } from '../probes/admins/evaluate.ts';
import { AdminsProbeError } from '../probes/admins/parse.ts';

/**
 * The baseline is the config's `accepted` list when given (the consultant's word), else what the first run
 * saw, kept under the state dir; accepting a new admin then means listing it under `accepted`.
 */
export async function runAdminsCheck(config: AdminsCheckConfig, ctx: CheckContext, platform: NodeJS.Platform = process.platform): Promise<CheckOutcome> {
  try {
    const current = await collectAdmins({ exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, platform }, config);
    let baseline = config.accepted;
    if (!baseline) {
      baseline = await readBaseline(ctx.stateDir, config.id);
      if (!baseline) {
        await writeBaseline(ctx.stateDir, config.id, current.members);
        return evaluateAdmins(current, undefined, config);
      }
    }
    return evaluateAdmins(current, baseline, config);
  } catch (error) {
    if (!(error instanceof AdminsProbeError) && !(error instanceof SyntaxError) && !(error as NodeJS.ErrnoException).code) throw error;
    return { status: 'UNKNOWN', ...coded('admins.probe_failed', { error: errorMessage(error) }) };
  }
}

export const admins = {
  kind: 'admins',
  defaultIntervalMs: ADMINS_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runAdminsCheck(config, ctx),
} satisfies CheckDefinition<'admins'>;
