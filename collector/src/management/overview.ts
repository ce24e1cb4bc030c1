import { SEVERITY, compareClientRows, isSecurityKind, securityPosture, type ClientInfo, type ClientSummary, type Problem, type Status, type StatusCounts } from '@nines/shared';
import type { AgentRecord, CheckRecord } from '../store/store.ts';
import type { MonthFigure } from './availability.ts';

const MAX_PROBLEMS_PER_CLIENT = 20; // a row, not a report: the client view has the rest

function severity(status: Status | null): number {
  return status === null ? -1 : SEVERITY[status];
}

/**
 * One overview row per client from the latest check states (no history is read, so it stays fast
 * with thousands of checks). Sorted worst-first: worst check state, then silent agents, then name.
 * The month figures stay null here, and labels and heartbeat bars empty (overview-beats.ts fills them); the route fills them from the availability engine (addMonthFigures).
 */
export function summarizeClients(clients: readonly ClientInfo[], agents: readonly AgentRecord[], checks: readonly CheckRecord[]): ClientSummary[] {
  const agentsById = new Map(agents.filter((a) => a.revokedAt === null).map((a) => [a.id, a]));
  const rows = new Map<number, ClientSummary>();
  for (const c of clients) {
    rows.set(c.id, {
      id: c.id, name: c.name, slaTarget: c.slaTarget, worst: null, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 } satisfies StatusCounts,
      hosts: 0, agentsSilent: 0, backupsOverdue: 0, securityUpdates: 0, rebootRequired: 0,
      availabilityMonth: null, availabilityMonthPercent: null, monthMet: null,
      monthCoverage: null, monthPartialData: null, errorBudgetMonthMs: null, errorBudgetSoFarMs: null, errorBudgetLeftMs: null, openIncidents: null,
      security: securityPosture([]), problems: [], labels: [], beats: [], hostNames: [], labelHosts: {},
    });
  }
  for (const agent of agentsById.values()) {
    const row = rows.get(agent.clientId);
    if (!row) continue;
    row.hosts++;
    if (!agent.connected) row.agentsSilent++;
  }
  const securityChecks = new Map<number, CheckRecord[]>();
  const securityHosts = new Map<number, Set<string>>();
  const rebootHosts = new Map<number, Set<string>>();
  const addHost = (map: Map<number, Set<string>>, clientId: number, agentId: string) => {
    let set = map.get(clientId);
    if (!set) map.set(clientId, (set = new Set()));
    set.add(agentId);
  };
  for (const check of checks) {
    const agent = agentsById.get(check.agentId);
    const row = agent && rows.get(agent.clientId);
    if (!agent || !row) continue;
    const status: Status = check.status ?? 'UNKNOWN';
    row.counts[status]++;
    if (severity(status) > severity(row.worst)) row.worst = status;
    if (isSecurityKind(check.kind)) {
      const list = securityChecks.get(agent.clientId);
      if (list) list.push(check);
      else securityChecks.set(agent.clientId, [check]);
    }
    if (check.kind === 'backup' && (status === 'WARN' || status === 'CRIT')) row.backupsOverdue++;
    if (check.kind === 'patch' && (check.metrics?.security ?? 0) > 0) addHost(securityHosts, agent.clientId, agent.id);
    if (check.kind === 'patch' && (check.metrics?.reboot_required ?? 0) > 0) addHost(rebootHosts, agent.clientId, agent.id);
    if (status !== 'OK') {
      row.problems.push({
        agentId: agent.id, agentName: agent.name, checkId: check.id, checkName: check.name, kind: check.kind,
        status, message: check.message, code: check.code, params: check.params, lastResultAt: check.lastResultAt,
      } satisfies Problem);
    }
  }
  for (const row of rows.values()) {
    row.security = securityPosture(securityChecks.get(row.id) ?? []);
    row.securityUpdates = securityHosts.get(row.id)?.size ?? 0;
    row.rebootRequired = rebootHosts.get(row.id)?.size ?? 0;
    row.problems.sort((a, b) => severity(b.status) - severity(a.status) || a.agentName.localeCompare(b.agentName) || a.checkName.localeCompare(b.checkName));
    row.problems.length = Math.min(row.problems.length, MAX_PROBLEMS_PER_CLIENT);
  }
  return [...rows.values()].sort(compareClientRows);
}

/**
 * Fills each row's month availability, error budget and open incidents. A client whose figures cannot be
 * computed keeps nulls (shown as "—") and the failure is reported, rather than the whole overview failing.
 */
export async function addMonthFigures(rows: ClientSummary[], figureOf: (clientId: number) => Promise<MonthFigure>, onError: (clientId: number, error: unknown) => void): Promise<void> {
  for (const row of rows) {
    try {
      const f = await figureOf(row.id);
      row.availabilityMonth = f.availability;
      row.availabilityMonthPercent = f.availabilityPercent;
      row.monthMet = f.met;
      row.monthCoverage = f.coverage;
      row.monthPartialData = f.partialData;
      row.errorBudgetMonthMs = f.errorBudgetMonthMs;
      row.errorBudgetSoFarMs = f.errorBudgetSoFarMs;
      row.errorBudgetLeftMs = f.errorBudgetLeftMs;
      row.openIncidents = f.openIncidents;
    } catch (error) {
      onError(row.id, error);
    }
  }
}
