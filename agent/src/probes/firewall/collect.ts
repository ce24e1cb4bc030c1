import type { FirewallBackend, FirewallCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { FirewallProbeError, parseFirewalldState, parseNftRuleset, parseSocketfilterfw, parseUfwStatus, parseWindowsProfiles, type FirewallState } from './parse.ts';

export interface FirewallContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> {
  platform: NodeJS.Platform;
  onPath(name: string): Promise<string | undefined>;
}

// Enum values as their names: ConvertTo-Json would write the numbers, whose meaning the reader then has to know.
export const WINDOWS_FIREWALL_SCRIPT =
  "$ErrorActionPreference = 'Stop'; ConvertTo-Json -Compress -InputObject @(Get-NetFirewallProfile | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Enabled = [string]$_.Enabled; DefaultInboundAction = [string]$_.DefaultInboundAction } })";
export const MACOS_SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

async function run(ctx: FirewallContext, file: string, args: string[]) {
  const result = await ctx.exec(file, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (result.code === null) throw new FirewallProbeError(describeExecFailure(result));
  return result;
}

const NEEDS_ROOT = /must be root|need to be root|Operation not permitted|Permission denied/i;

async function ask(ctx: FirewallContext, backend: FirewallBackend): Promise<FirewallState> {
  switch (backend) {
    case 'nftables': {
      const r = await run(ctx, 'nft', ['-j', 'list', 'ruleset']);
      if (r.code !== 0) {
        const said = r.stderr.trim().split('\n')[0] ?? '';
        throw new FirewallProbeError(`nft list ruleset: ${said || `exit code ${r.code}`}${NEEDS_ROOT.test(r.stderr) ? ' (reading the ruleset needs root or CAP_NET_ADMIN)' : ''}`);
      }
      return parseNftRuleset(r.stdout);
    }
    case 'ufw': {
      const r = await run(ctx, 'ufw', ['status', 'verbose']);
      if (r.code !== 0) throw new FirewallProbeError(`ufw status: ${r.stderr.trim().split('\n')[0] || `exit code ${r.code}`}${NEEDS_ROOT.test(r.stderr) ? ' (ufw status needs root)' : ''}`);
      return parseUfwStatus(r.stdout);
    }
    case 'firewalld': {
      const r = await run(ctx, 'firewall-cmd', ['--state']);
      return parseFirewalldState(r.stdout, r.code);
    }
    case 'windows':
      try {
        return parseWindowsProfiles(await powershellJson(ctx, WINDOWS_FIREWALL_SCRIPT));
      } catch (error) {
        if (error instanceof PowerShellError) throw new FirewallProbeError(`Get-NetFirewallProfile: ${error.message}`);
        throw error;
      }
    case 'macos': {
      const r = await run(ctx, MACOS_SOCKETFILTERFW, ['--getglobalstate']);
      return parseSocketfilterfw(r.stdout);
    }
  }
}

/**
 * The firewall state. On Linux with backend auto: an active ufw or firewalld answers; else the nftables
 * ruleset does (rules loaded by hand or by nftables.service), so an inactive front end over a hand-made
 * ruleset is not reported as "no firewall".
 */
export async function collectFirewall(ctx: FirewallContext, config: Pick<FirewallCheckConfig, 'backend'>): Promise<FirewallState> {
  const wanted = config.backend ?? 'auto';
  if (wanted !== 'auto') return ask(ctx, wanted);
  if (ctx.platform === 'win32') return ask(ctx, 'windows');
  if (ctx.platform === 'darwin') return ask(ctx, 'macos');
  const inactive: FirewallState[] = [];
  for (const [backend, program] of [['ufw', 'ufw'], ['firewalld', 'firewall-cmd']] as const) {
    if (!(await ctx.onPath(program))) continue;
    const state = await ask(ctx, backend);
    if (state.active) return state;
    inactive.push(state);
  }
  if (!(await ctx.onPath('nft'))) {
    if (inactive[0]) return inactive[0];
    throw new FirewallProbeError('no firewall tool found (looked for ufw, firewall-cmd, nft)');
  }
  const nft = await ask(ctx, 'nftables');
  // an installed but stopped ufw/firewalld is the firewall the admin meant; name it rather than nftables
  return nft.active || !inactive[0] ? nft : inactive[0];
}
