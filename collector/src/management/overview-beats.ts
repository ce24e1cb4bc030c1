import { SEVERITY, type ClientSummary, type HeartbeatCell, type HostBeat, type Status } from '@nines/shared';
import { beatSummary } from '../availability/heartbeat-cells.ts';
import type { AgentRecord, CheckRecord } from '../store/store.ts';
import { mapSideBySide } from '../availability/side-by-side.ts';

const severity = (s: Status | null) => (s === null ? -1 : SEVERITY[s]);

/**
 * Fills a client's row with its labels (every label of its checks, sorted) and, per host that is not revoked, the
 * heartbeat bar: worst current check state first, then more hours with downtime, then name. `cellsOf` gets the host's
 * connection and check states as one string, so that it can tell a state change from a repeated state.
 */
export async function addHostBeats(row: ClientSummary, agents: readonly AgentRecord[], checks: readonly CheckRecord[], cellsOf: (agentId: string, states: string) => Promise<HeartbeatCell[]>): Promise<void> {
  const hosts = new Map<string, { agent: AgentRecord; labels: Set<string>; worst: Status | null; states: string[] }>();
  // The connection is part of the states: a reconnect's replay fills the running hour without changing a check's state.
  for (const a of agents) if (a.revokedAt === null) hosts.set(a.id, { agent: a, labels: new Set(), worst: null, states: [`connected:${a.connected}`] });
  const all = new Set<string>();
  for (const c of checks) {
    const host = hosts.get(c.agentId);
    if (!host) continue;
    const status: Status = c.status ?? 'UNKNOWN';
    if (severity(status) > severity(host.worst)) host.worst = status;
    host.states.push(`${c.id}:${status}`);
    for (const l of c.labels) {
      host.labels.add(l);
      all.add(l);
    }
  }
  const byText = (a: string, b: string) => a.localeCompare(b);
  row.labels = [...all].sort(byText);
  const beats: Array<HostBeat & { worst: Status | null }> = await mapSideBySide([...hosts.values()], async ({ agent, labels, worst, states }) => {
    const cells = await cellsOf(agent.id, states.join(' '));
    return { agentId: agent.id, name: agent.name, labels: [...labels].sort(byText), cells, ...beatSummary(cells), worst };
  });
  beats.sort((a, b) => severity(b.worst) - severity(a.worst) || b.downCells - a.downCells || a.name.localeCompare(b.name));
  row.beats = beats.map(({ worst: _worst, ...beat }) => beat);
  row.hostNames = row.beats.map((b) => b.name);
  const labelHosts = new Map<string, number>();
  for (const b of row.beats) for (const l of b.labels) labelHosts.set(l, (labelHosts.get(l) ?? 0) + 1);
  // fromEntries makes each label an own key, even "__proto__", which an assignment to a plain object would drop.
  row.labelHosts = Object.fromEntries(labelHosts);
}

/**
 * The bars of a row as the list of all clients carries them: the first `perRow` (worst first), and for each label the
 * first `perRow` of the hosts carrying it, in their order. What the overview draws with any label filter, and no
 * more: a client of 10,000 hosts is a few bars in the list (the whole 24-cell bar of every host was 29 MB).
 */
export function barsForList(beats: readonly HostBeat[], perRow: number): HostBeat[] {
  const seenWith = new Map<string, number>();
  return beats.filter((b, i) => {
    const wanted = i < perRow || b.labels.some((l) => (seenWith.get(l) ?? 0) < perRow);
    for (const l of b.labels) seenWith.set(l, (seenWith.get(l) ?? 0) + 1);
    return wanted;
  });
}
