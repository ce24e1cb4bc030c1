/** What a monthly report says about a client: the figures, computed once, independent of language. */
import type { ResultParams, Status } from '@nines/shared';
import type { Db } from '../store/sqlite/database.ts';
import { NinesError } from '../errors.ts';
import { availabilityFor, type AvailabilityFigure } from '../availability/query.ts';
import { incidents, type Incident } from '../availability/incidents.ts';
import { agentsOfClient, checksOfClient, clientInfo, prepared, type ClientInfo } from '../availability/source.ts';

export interface BackupSummary {
  host: string;
  check: string;
  counts: Record<Status, number>;
  lastStatus: Status;
  lastMessage: string;
  /** The last message's code and params, rendered per language in the report. */
  lastCode: string | null;
  lastParams: ResultParams | null;
  lastAt: number;
  /** Age of the newest backup at the last result (metric age_s), if the probe reports it. */
  ageS: number | null;
  sizeBytes: number | null;
}

export interface PatchSummary {
  host: string;
  check: string;
  lastStatus: Status;
  lastAt: number;
  pending: number | null;
  security: number | null;
  rebootRequired: boolean | null;
  /** Most security updates pending at any time in the month. */
  maxSecurity: number | null;
}

export interface MonthlyReport {
  client: Pick<ClientInfo, 'id' | 'name' | 'timeZone' | 'language' | 'targetPpm'>;
  month: string;
  generatedAt: number;
  figure: AvailabilityFigure;
  hosts: Array<{ agentId: string; name: string; figure: AvailabilityFigure }>;
  checks: Array<{ host: string; check: string; weight: number; figure: AvailabilityFigure }>;
  incidents: Incident[];
  backups: BackupSummary[];
  patches: PatchSummary[];
}

interface KindRow {
  agent_name: string; check_name: string; check_id: string; agent_id: string; status: Status; message: string; metrics_json: string; started_at: number;
  code: string | null; params_json: string | null;
}

function kindResults(db: Db, clientId: number, kind: string, from: number, to: number): Map<string, KindRow[]> {
  const rows = prepared(db, `SELECT a.name AS agent_name, c.name AS check_name, c.id AS check_id, a.id AS agent_id, r.status, r.message, r.metrics_json, r.started_at,
      r.code, r.params_json
      FROM checks c JOIN agents a ON a.id = c.agent_id JOIN results r ON r.agent_id = c.agent_id AND r.check_id = c.id
      WHERE a.client_id = ? AND c.kind = ? AND r.started_at >= ? AND r.started_at < ? ORDER BY a.name, c.name, r.started_at, r.seq`)
    .all(clientId, kind, from, to) as KindRow[];
  const byCheck = new Map<string, KindRow[]>();
  for (const r of rows) {
    const key = `${r.agent_id}/${r.check_id}`;
    byCheck.set(key, [...(byCheck.get(key) ?? []), r]);
  }
  return byCheck;
}

const metric = (row: KindRow, name: string): number | null => {
  const value = (JSON.parse(row.metrics_json) as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : null;
};

/** The report of a client (id or name) for a calendar month "YYYY-MM" in the client's time zone. */
export function monthlyReport(db: Db, clientIdOrName: string | number, month: string, now: number): MonthlyReport {
  const client = clientInfo(db, clientIdOrName);
  if (!client) throw new NinesError('NOT_FOUND', `client ${clientIdOrName}`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new NinesError('BAD_REQUEST', `month "${month}" (use YYYY-MM)`);
  const figure = availabilityFor(db, 'client', String(client.id), month, now);
  const { from, until } = figure.window;
  const backups: BackupSummary[] = [...kindResults(db, client.id, 'backup', from, until).values()].map((rows) => {
    const last = rows.at(-1)!;
    const counts: Record<Status, number> = { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 };
    for (const r of rows) counts[r.status]++;
    return {
      host: last.agent_name, check: last.check_name, counts, lastStatus: last.status, lastMessage: last.message, lastAt: last.started_at,
      lastCode: last.code, lastParams: last.params_json ? (JSON.parse(last.params_json) as ResultParams) : null,
      ageS: metric(last, 'age_s'), sizeBytes: metric(last, 'size_bytes'),
    };
  });
  const patches: PatchSummary[] = [...kindResults(db, client.id, 'patch', from, until).values()].map((rows) => {
    const last = rows.at(-1)!;
    const securities = rows.map((r) => metric(r, 'security')).filter((v): v is number => v !== null);
    const reboot = metric(last, 'reboot_required');
    return {
      host: last.agent_name, check: last.check_name, lastStatus: last.status, lastAt: last.started_at, pending: metric(last, 'pending'),
      security: metric(last, 'security'), rebootRequired: reboot === null ? null : reboot > 0, maxSecurity: securities.length ? Math.max(...securities) : null,
    };
  });
  return {
    client: { id: client.id, name: client.name, timeZone: client.timeZone, language: client.language, targetPpm: client.targetPpm },
    month, generatedAt: now, figure,
    hosts: agentsOfClient(db, client.id).map((a) => ({ agentId: a.id, name: a.name, figure: availabilityFor(db, 'host', a.id, month, now) })),
    checks: checksOfClient(db, client.id)
      .filter((c) => c.weight > 0)
      .map((c) => ({ host: c.agentName, check: c.name, weight: c.weight, figure: availabilityFor(db, 'check', `${c.agentId}/${c.checkId}`, month, now) })),
    incidents: incidents(db, 'client', String(client.id), month, now),
    backups, patches,
  };
}
