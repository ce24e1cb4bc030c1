/** What a monthly report says about a client: the figures, computed once, independent of language. */
import type { ResultParams, Status } from '@nines/shared';
import type { KindResultRecord } from '../store/availability.ts';
import { NinesError } from '../errors.ts';
import { availabilityFor, figureOf, scopeTarget, type AvailabilityFigure } from '../availability/query.ts';
import { localDaysTouching } from '../availability/zoned-time.ts';
import { incidents, type Incident } from '../availability/incidents.ts';
import { securitySummaries, type SecuritySummary } from './security.ts';
import { agentsOfClient, clientInfo, coveredChecksOfClient, type AvailabilitySource, type ClientInfo } from '../availability/source.ts';

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

/** One local day of the month: the client's figure for that day from the availability engine (null percent: no data). */
export interface DailyAvailability {
  from: number;
  to: number;
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
  availabilityPercent: string | null;
  met: boolean | null;
}

export interface MonthlyReport {
  client: Pick<ClientInfo, 'id' | 'name' | 'timeZone' | 'language' | 'targetPpm'>;
  month: string;
  generatedAt: number;
  figure: AvailabilityFigure;
  hosts: Array<{ agentId: string; name: string; figure: AvailabilityFigure }>;
  checks: Array<{ host: string; check: string; weight: number; figure: AvailabilityFigure }>;
  incidents: Incident[];
  /** One entry per local day of the month, for the PDF's bar chart; the days' totals add up to `figure`. */
  days: DailyAvailability[];
  backups: BackupSummary[];
  patches: PatchSummary[];
  /** The security checks: what was checked, what was found, what was fixed (./security.ts). */
  security: SecuritySummary[];
}

/** Results of a client's checks of one kind in [from, to), per check ("agentId/checkId"), oldest first. */
async function kindResults(src: AvailabilitySource, clientId: number, kind: string, from: number, to: number): Promise<Map<string, KindResultRecord[]>> {
  const byCheck = new Map<string, KindResultRecord[]>();
  for (const r of await src.availability.resultsOfKind(clientId, kind, from, to)) {
    const key = `${r.agentId}/${r.checkId}`;
    let rows = byCheck.get(key);
    if (!rows) byCheck.set(key, (rows = []));
    rows.push(r);
  }
  return byCheck;
}

const metric = (row: KindResultRecord, name: string): number | null => {
  const value = row.metrics[name];
  return typeof value === 'number' ? value : null;
};

/**
 * The client's figure per local day of [from, to), counted up to `now` (days after it have no data). Computed by the
 * same engine as the month's figure, so the days' totals sum exactly to the month's.
 */
export async function dailyAvailability(src: AvailabilitySource, clientId: number, from: number, to: number, now: number): Promise<DailyAvailability[]> {
  const target = await scopeTarget(src, 'client', String(clientId));
  return (await Promise.all(localDaysTouching(from, to, target.timeZone).map(async ([dayFrom, dayTo]) => {
    const until = Math.max(dayFrom, Math.min(dayTo, now));
    const figure = await figureOf('client', target, { label: 'custom', from: dayFrom, to: dayTo, until }, await target.totals(dayFrom, until));
    return {
      from: dayFrom, to: dayTo, upMs: figure.upMs, downMs: figure.downMs, unknownMs: figure.unknownMs, maintenanceMs: figure.maintenanceMs,
      availabilityPercent: figure.availabilityPercent, met: figure.met,
    };
  })));
}

/** The report of a client (id or name) for a calendar month "YYYY-MM" in the client's time zone. */
export async function monthlyReport(src: AvailabilitySource, clientIdOrName: string | number, month: string, now: number): Promise<MonthlyReport> {
  const client = await clientInfo(src, clientIdOrName);
  if (!client) throw new NinesError('NOT_FOUND', `client ${clientIdOrName}`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new NinesError('BAD_REQUEST', `month "${month}" (use YYYY-MM)`);
  const figure = await availabilityFor(src, 'client', String(client.id), month, now);
  const { from, until } = figure.window;
  const backups: BackupSummary[] = [...(await kindResults(src, client.id, 'backup', from, until)).values()].map((rows) => {
    const last = rows.at(-1)!;
    const counts: Record<Status, number> = { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 };
    for (const r of rows) counts[r.status]++;
    return {
      host: last.agentName, check: last.checkName, counts, lastStatus: last.status, lastMessage: last.message, lastAt: last.startedAt,
      lastCode: last.code, lastParams: last.params,
      ageS: metric(last, 'age_s'), sizeBytes: metric(last, 'size_bytes'),
    };
  });
  const patches: PatchSummary[] = [...(await kindResults(src, client.id, 'patch', from, until)).values()].map((rows) => {
    const last = rows.at(-1)!;
    const securities = rows.map((r) => metric(r, 'security')).filter((v): v is number => v !== null);
    const reboot = metric(last, 'reboot_required');
    return {
      host: last.agentName, check: last.checkName, lastStatus: last.status, lastAt: last.startedAt, pending: metric(last, 'pending'),
      security: metric(last, 'security'), rebootRequired: reboot === null ? null : reboot > 0, maxSecurity: securities.length ? Math.max(...securities) : null,
    };
  });
  return {
    client: { id: client.id, name: client.name, timeZone: client.timeZone, language: client.language, targetPpm: client.targetPpm },
    month, generatedAt: now, figure,
    hosts: await Promise.all((await agentsOfClient(src, client.id)).map(async (a) => ({ agentId: a.id, name: a.name, figure: await availabilityFor(src, 'host', a.id, month, now) }))),
    checks: await Promise.all((await coveredChecksOfClient(src, client.id))
      .map(async (c) => ({ host: c.agentName, check: c.name, weight: c.weight, figure: await availabilityFor(src, 'check', `${c.agentId}/${c.checkId}`, month, now) }))),
    incidents: await incidents(src, 'client', String(client.id), month, now),
    days: await dailyAvailability(src, client.id, figure.window.from, figure.window.to, now),
    backups, patches,
    security: await securitySummaries(src, client.id, from, until),
  };
}
