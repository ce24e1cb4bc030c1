import { coded, LOGINS_DEFAULT_INTERVAL_MS, type LoginsCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { errorMessage } from './check.ts';
import { collectLogins, defaultFiles, loginsSource, readKnownSources, writeKnownSources, type LoginsContext } from '../probes/logins/collect.ts';
import { evaluateLogins, windowMs } from '../probes/logins/evaluate.ts';
import { LoginsProbeError } from '../probes/logins/parse.ts';

export async function runLoginsCheck(config: LoginsCheckConfig, ctx: CheckContext, machine: Pick<LoginsContext, 'platform' | 'exists' | 'readText' | 'utcOffsetMinutes'> = { platform: process.platform, ...defaultFiles }): Promise<CheckOutcome> {
  const probeCtx: LoginsContext = { exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, stateDir: ctx.stateDir, ...machine };
  const now = ctx.clock();
  try {
    const known = await readKnownSources(ctx.stateDir, config.id);
    const { events } = await collectLogins(probeCtx, config, now - windowMs(config), now);
    const { outcome, known: next } = evaluateLogins(events, known, config, now);
    await writeKnownSources(ctx.stateDir, config.id, next);
    return outcome;
  } catch (error) {
    if (!(error instanceof LoginsProbeError) && !(error instanceof SyntaxError) && !(error as NodeJS.ErrnoException).code) throw error;
    const source = await loginsSource(probeCtx, config).catch(() => config.source ?? 'auto');
    return { status: 'UNKNOWN', ...coded('logins.probe_failed', { source, error: errorMessage(error) }) };
  }
}

export const logins = {
  kind: 'logins',
  defaultIntervalMs: LOGINS_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runLoginsCheck(config, ctx),
} satisfies CheckDefinition<'logins'>;
