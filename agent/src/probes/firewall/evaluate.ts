import { coded, type FirewallCheckConfig } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import type { FirewallState } from './parse.ts';

/** On and filtering: OK; a Windows profile that lets inbound traffic in: WARN; off: inactiveStatus (default CRIT). */
export function evaluateFirewall(state: FirewallState, config: Pick<FirewallCheckConfig, 'inactiveStatus'>): CheckOutcome {
  const metrics: Record<string, number> = { active: state.active ? 1 : 0 };
  if (state.rules !== undefined) metrics.rules = state.rules;
  const details = state;
  if (!state.active) {
    return {
      status: config.inactiveStatus ?? 'CRIT',
      metrics,
      details,
      ...coded('firewall.inactive', { backend: state.backend, profiles: state.profilesOff?.length ? state.profilesOff.join(', ') : undefined, nft: state.nftProblem }),
    };
  }
  if (state.profilesAllowInbound?.length) {
    return { status: 'WARN', metrics, details, ...coded('firewall.inbound_allowed', { backend: state.backend, profiles: state.profilesAllowInbound.join(', ') }) };
  }
  return { status: 'OK', metrics, details, ...coded('firewall.active', { backend: state.backend, rules: state.rules }) };
}
