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
}
