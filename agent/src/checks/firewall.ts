import { coded, FIREWALL_DEFAULT_INTERVAL_MS, type FirewallCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { binaryOnPath } from '../probes/patch/detect.ts';
import { collectFirewall, type FirewallContext } from '../probes/firewall/collect.ts';
import { evaluateFirewall } from '../probes/firewall/evaluate.ts';
import { FirewallProbeError } from '../probes/firewall/parse.ts';

export async function runFirewallCheck(config: FirewallCheckConfig, ctx: CheckContext, platform: NodeJS.Platform = process.platform, onPath = binaryOnPath): Promise<CheckOutcome> {
  const probeCtx: FirewallContext = { exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, platform, onPath: (name) => onPath(name) };
  try {
    return evaluateFirewall(await collectFirewall(probeCtx, config), config);
  } catch (error) {
    if (!(error instanceof FirewallProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('firewall.probe_failed', { backend: config.backend ?? 'auto', error: error.message }) };
  }
}

export const firewall = {
  kind: 'firewall',
  defaultIntervalMs: FIREWALL_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runFirewallCheck(config, ctx),
} satisfies CheckDefinition<'firewall'>;
