import { coded, ENCRYPTION_DEFAULT_INTERVAL_MS, type EncryptionCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { collectEncryption } from '../probes/encryption/collect.ts';
import { evaluateEncryption } from '../probes/encryption/evaluate.ts';
import { EncryptionProbeError } from '../probes/encryption/parse.ts';

export async function runEncryptionCheck(config: EncryptionCheckConfig, ctx: CheckContext, platform: NodeJS.Platform = process.platform): Promise<CheckOutcome> {
  try {
    return evaluateEncryption(await collectEncryption({ exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, platform }, config), config);
  } catch (error) {
    if (!(error instanceof EncryptionProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('encryption.probe_failed', { error: error.message }) };
  }
}

export const encryption = {
  kind: 'encryption',
  defaultIntervalMs: ENCRYPTION_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runEncryptionCheck(config, ctx),
} satisfies CheckDefinition<'encryption'>;
