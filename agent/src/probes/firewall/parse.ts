/** Firewall answers → typed state. Pure: text or JSON in, FirewallState or a FirewallProbeError out. */
import type { FirewallBackend } from '@nines/shared';
import { asList } from '../powershell.ts';

export class FirewallProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirewallProbeError';
  }
}

export interface FirewallState {
  backend: FirewallBackend;
  /** The firewall is switched on (ufw/firewalld running, macOS state 1/2, every Windows profile on, nftables drops inbound). */
  active: boolean;
  /** Rules loaded, where the backend counts them (nftables rules, ufw rule lines). */
  rules?: number;
  /** Windows profiles that are off ("Public"), or that let unsolicited inbound traffic in. */
  profilesOff?: string[];
  profilesAllowInbound?: string[];
  /** nftables only: why the ruleset does not count as a firewall. */
  nftProblem?: 'no_input_chain' | 'accepts_all';
}

interface NftItem {
  chain?: { hook?: string; policy?: string; table?: string; name?: string; family?: string };
  rule?: { table?: string; chain?: string; family?: string; expr?: unknown[] };
}

/**
 * `nft -j list ruleset`. Filtering inbound traffic means: an input-hook chain whose policy drops, or one
 * holding a rule that drops or rejects. A ruleset with rules but none of that is loaded yet lets everything in.
 */
export function parseNftRuleset(stdout: string): FirewallState {
  let data: { nftables?: NftItem[] };
  try {
    data = JSON.parse(stdout) as { nftables?: NftItem[] };
  } catch {
    throw new FirewallProbeError(`nft printed no JSON: "${stdout.replace(/\s+/g, ' ').slice(0, 200)}"`);
  }
  if (!Array.isArray(data.nftables)) throw new FirewallProbeError('nft JSON has no "nftables" list');
  const items = data.nftables;
  const key = (family?: string, table?: string, chain?: string) => `${family}/${table}/${chain}`;
  const inputChains = new Map<string, string | undefined>();
  for (const item of items) if (item.chain?.hook === 'input') inputChains.set(key(item.chain.family, item.chain.table, item.chain.name), item.chain.policy);
  const rules = items.filter((i) => i.rule);
  const dropping = rules.some((i) => inputChains.has(key(i.rule!.family, i.rule!.table, i.rule!.chain)) && (i.rule!.expr ?? []).some((e) => typeof e === 'object' && e !== null && ('drop' in e || 'reject' in e)));
  const dropPolicy = [...inputChains.values()].some((p) => p === 'drop');
  const active = dropPolicy || dropping;
  const state: FirewallState = { backend: 'nftables', active, rules: rules.length };
  if (!active) state.nftProblem = inputChains.size === 0 ? 'no_input_chain' : 'accepts_all';
  return state;
}

/** `ufw status verbose` (ufw forces the C locale on itself for this output: "Status: active"). */
export function parseUfwStatus(stdout: string): FirewallState {
  const status = /^Status:\s*(\w+)/m.exec(stdout)?.[1];
  if (status !== 'active' && status !== 'inactive') throw new FirewallProbeError(`ufw status printed no "Status:" line: "${stdout.trim().slice(0, 200)}"`);
  const rules = stdout.split('\n').filter((line) => /\s(ALLOW|DENY|REJECT|LIMIT)(\s+(IN|OUT|FWD))?\s/.test(line)).length;
  return { backend: 'ufw', active: status === 'active', rules };
}

/** `firewall-cmd --state`: "running" (exit 0) or "not running" (exit 252). */
export function parseFirewalldState(stdout: string, code: number | null): FirewallState {
  const text = stdout.trim();
  if (text === 'running' && code === 0) return { backend: 'firewalld', active: true };
  if (text === 'not running' || code === 252) return { backend: 'firewalld', active: false };
  throw new FirewallProbeError(`firewall-cmd --state answered "${text.slice(0, 200)}" (exit ${code})`);
}

/**
 * Get-NetFirewallProfile as [{Name, Enabled, DefaultInboundAction}] with the enums as their (English) names:
 * Enabled "True"/"False"/"NotConfigured", DefaultInboundAction "Block"/"Allow"/"NotConfigured" (= Block).
 */
export function parseWindowsProfiles(value: unknown): FirewallState {
  const profiles = asList(value).map((raw) => raw as { Name?: unknown; Enabled?: unknown; DefaultInboundAction?: unknown });
  if (profiles.length === 0 || profiles.some((p) => typeof p.Name !== 'string')) throw new FirewallProbeError('Get-NetFirewallProfile gave no profiles');
  const on = (p: { Enabled?: unknown }) => p.Enabled === 'True' || p.Enabled === true || p.Enabled === 1;
  const profilesOff = profiles.filter((p) => !on(p)).map((p) => String(p.Name));
  const profilesAllowInbound = profiles.filter((p) => on(p) && (p.DefaultInboundAction === 'Allow' || p.DefaultInboundAction === 2)).map((p) => String(p.Name));
  return { backend: 'windows', active: profilesOff.length === 0, profilesOff, profilesAllowInbound };
}

/** `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)"; 0 off, 1 on, 2 blocking all. */
export function parseSocketfilterfw(stdout: string): FirewallState {
  const m = /State = (\d)/.exec(stdout) ?? /Firewall is (enabled|disabled|blocking)/.exec(stdout);
  if (!m) throw new FirewallProbeError(`socketfilterfw printed no state: "${stdout.trim().slice(0, 200)}"`);
  const on = m[1] === '1' || m[1] === '2' || m[1] === 'enabled' || m[1] === 'blocking';
  return { backend: 'macos', active: on };
}
