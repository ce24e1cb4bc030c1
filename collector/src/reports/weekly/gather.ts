/**
 * What the consultant's Monday overview says: per client only what needs him — read from the repositories at
 * an instant, nothing else (no clock, no I/O beyond the store), so it is tested on a stored fixture estate.
 * Metric names are the agent's (agent/src/checks/disk.ts, cert.ts, probes/patch/evaluate.ts).
 */
import type { Status } from '@nines/shared';
import type { CheckRecord, Store } from '../../store/store.ts';
import { availabilityFor } from '../../availability/query.ts';

/** Security updates pending this long are listed. */
export const SECURITY_PENDING_LISTED_AFTER_MS = 7 * 86_400_000;
/** Certificates expiring within this many days are listed. */
export const CERT_DAYS_LISTED = 30;
/** Disks fuller than this (percent used) are listed. */
export const DISK_USED_LISTED_ABOVE = 85;
/** A client whose downtime this month used at least this share of the month's error budget is listed. */
export const BUDGET_SHARE_LISTED = 0.5;

interface CheckItem {
  agentId: string;
  host: string;
  checkId: string;
  check: string;
}

export type OverviewItem =
  | ({ kind: 'backup'; status: Status; message: string | null } & CheckItem)
  | ({ kind: 'security'; count: number; pendingSince: number } & CheckItem)
  | ({ kind: 'reboot' } & CheckItem)
  | ({ kind: 'certificate'; daysLeft: number } & CheckItem)
  | ({ kind: 'disk'; usedPercent: number } & CheckItem)
  | { kind: 'budget'; spentMs: number; budgetMs: number }
  | { kind: 'silent'; agentId: string; host: string; since: number };

export interface ClientOverview {
  clientId: number;
  name: string;
  items: OverviewItem[];
}

export interface Overview {
  at: number;
  /** Clients with something to say, by name; quiet clients are not in it. */
  clients: ClientOverview[];
  /** Every client looked at, quiet ones included. */
  clientCount: number;
}

export type OverviewSource = Pick<Store, 'listClients' | 'listAgents' | 'listClientChecks' | 'delivery' | 'patchHistory' | 'availability' | 'maintenance'>;

/** The overview at `now`. */
export async function gatherOverview(store: OverviewSource, now: number): Promise<Overview> {
  const silent = await store.delivery.silentAgents();
  const clients: ClientOverview[] = [];
  for (const client of await store.listClients()) {
    const agents = new Map((await store.listAgents(client.id)).filter((a) => a.revokedAt === null).map((a) => [a.id, a]));
    const items: OverviewItem[] = [];
    for (const check of await store.listClientChecks(client.id)) {
      const agent = agents.get(check.agentId);
      if (agent) items.push(...(await checkItems(store, check, { agentId: agent.id, host: agent.name, checkId: check.id, check: check.name }, now)));
    }
    const figure = await availabilityFor(store, 'client', String(client.id), 'month', now);
    const { spentMs, windowBudgetMs } = figure.budget;
    if (windowBudgetMs > 0 && figure.measuredMs > 0 && spentMs >= windowBudgetMs * BUDGET_SHARE_LISTED) items.push({ kind: 'budget', spentMs, budgetMs: windowBudgetMs });
    for (const agent of agents.values()) {
      const since = silent.get(agent.id);
      if (since !== undefined) items.push({ kind: 'silent', agentId: agent.id, host: agent.name, since });
    }
    clients.push({ clientId: client.id, name: client.name, items });
  }
  return {
    at: now,
    clients: clients.filter((c) => c.items.length > 0).sort((a, b) => a.name.localeCompare(b.name)),
    clientCount: clients.length,
  };
}

async function checkItems(store: OverviewSource, check: CheckRecord, ref: CheckItem, now: number): Promise<OverviewItem[]> {
  const items: OverviewItem[] = [];
  const metrics = check.metrics ?? {};
  if (check.kind === 'backup' && check.status !== null && check.status !== 'OK') items.push({ kind: 'backup', status: check.status, message: check.message, ...ref });
  if (check.kind === 'patch') {
    const security = metrics.security ?? 0;
    if (security > 0) {
      const since = await store.patchHistory.securityPendingSince(check.agentId, check.id);
      if (since !== null && now - since >= SECURITY_PENDING_LISTED_AFTER_MS) items.push({ kind: 'security', count: security, pendingSince: since, ...ref });
    }
    if (metrics.reboot_required === 1) items.push({ kind: 'reboot', ...ref });
  }
  const daysLeft = metrics.cert_days_left;
  if (daysLeft !== undefined && daysLeft <= CERT_DAYS_LISTED) items.push({ kind: 'certificate', daysLeft, ...ref });
  const used = metrics.used_percent;
  if (check.kind === 'disk' && used !== undefined && used > DISK_USED_LISTED_ABOVE) items.push({ kind: 'disk', usedPercent: used, ...ref });
  return items;
}

/** The number of items over all clients. */
export const itemCount = (overview: Overview) => overview.clients.reduce((n, c) => n + c.items.length, 0);
