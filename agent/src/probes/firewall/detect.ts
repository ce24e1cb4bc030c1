import type { FirewallCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';
import { parseNftRuleset } from './parse.ts';

/** nftables.service enabled: `systemctl enable` links it here (Debian's unit: WantedBy=sysinit.target; others multi-user). */
const NFTABLES_ENABLED = ['/etc/systemd/system/sysinit.target.wants/nftables.service', '/etc/systemd/system/multi-user.target.wants/nftables.service'];

/**
 * The firewall check, where there is a firewall to watch: always on Windows and macOS (each has one that can
 * be switched off); on Linux where ufw or firewalld is installed, an nftables ruleset is loaded, or
 * nftables.service is enabled (someone meant the ruleset to load at boot: an empty one is then a finding). The
 * nft program alone says nothing: Debian installs nftables on every machine (priority important), and a Linux
 * server without a ruleset usually sits behind the router's or the cloud's firewall, where a check that is CRIT
 * from its first minute would be noise; the consultant adds it by hand where a host firewall belongs.
 */
export async function autoFirewallCheck(ctx: AutoDetectContext): Promise<FirewallCheckConfig | undefined> {
  const check: FirewallCheckConfig = { kind: 'firewall', id: 'firewall' };
  if (ctx.platform === 'win32' || ctx.platform === 'darwin') return check;
  if (ctx.platform !== 'linux') return undefined;
  if ((await ctx.onPath('ufw')) || (await ctx.onPath('firewall-cmd'))) return check;
  if (!(await ctx.onPath('nft'))) return undefined;
  for (const wants of NFTABLES_ENABLED) if (await ctx.exists(wants)) return check;
  const run = await ctx.exec('nft', ['-j', 'list', 'ruleset'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code !== 0) return undefined; // not root: the check could only say UNKNOWN
  try {
    const state = parseNftRuleset(run.stdout);
    return state.active || (state.rules ?? 0) > 0 ? check : undefined;
  } catch {
    return undefined;
  }
}
