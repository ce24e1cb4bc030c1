/**
 * The raw data availability is computed from: checks with their client and SLA role, results, gaps,
 * maintenance, read through the store's availability and maintenance repositories (collector/src/store).
 * What is domain here: the SLA role defaults, how far back a window reads, which windows apply to a check.
 */
import type { Store } from '../store/store.ts';
import type { AvailabilityCheckRecord, HostRecord, SlaClientRecord } from '../store/availability.ts';
import type { Span, TimedStatus } from './timeline.ts';
import { occurrences, type MaintenanceWindow } from './maintenance.ts';

/** What the availability engine reads and writes: the store, or just its two repositories. */
export type AvailabilitySource = Pick<Store, 'availability' | 'maintenance'>;

export interface CheckRef {
  agentId: string;
  checkId: string;
}

/** A check with its SLA role resolved: the stored role, or the kind's default where none was set. */
export interface CheckInfo extends Omit<AvailabilityCheckRecord, 'critical' | 'weight'> {
  /** The host is DOWN while this check is DOWN. */
  critical: boolean;
  /** Weight in the client's figure; 0 = not covered by the SLA. */
  weight: number;
}

export type ClientInfo = SlaClientRecord;
export type AgentInfo = HostRecord;

export interface RawResult extends TimedStatus {
  seq: number;
  latencyMs: number | null;
}

export const DEFAULT_TARGET_PPM = 999_000; // 99.9 %: what the consultant sells unless a client's contract says otherwise
/**
 * Kinds that describe housekeeping or posture, not the service: a stale backup does not make a host unavailable,
 * nor does a firewall off, a failed login burst or a disk wearing out — they alert and show in the report's
 * security section, but burn no error budget and are no incident. By default only: the consultant can still
 * make any of them critical (setCheckSla), and a check_sla row always wins over this default. The same list is
 * in migration 017, which recomputes the host figures rolled up before these kinds were listed here.
 */
export const NON_SERVICE_KINDS: ReadonlySet<string> = new Set([
  'backup', 'patch', 'backup-integrity', 'backup-churn',
  'antivirus', 'firewall', 'logins', 'encryption', 'smart', 'eventlog', 'admins',
]);

/** A check's stored role, or the kind's default when none was set. */
function toCheckInfo(r: AvailabilityCheckRecord): CheckInfo {
  const service = !NON_SERVICE_KINDS.has(r.kind);
  return { ...r, critical: r.critical ?? service, weight: r.weight ?? (service ? 1 : 0) };
}

export async function checkInfo(src: AvailabilitySource, agentId: string, checkId: string): Promise<CheckInfo | undefined> {
  const record = await src.availability.check(agentId, checkId);
  return record && toCheckInfo(record);
}

export async function checksOfAgent(src: AvailabilitySource, agentId: string): Promise<CheckInfo[]> {
  return (await src.availability.checksOfAgent(agentId)).map(toCheckInfo);
}

export async function checksOfClient(src: AvailabilitySource, clientId: number): Promise<CheckInfo[]> {
  return (await src.availability.checksOfClient(clientId)).map(toCheckInfo);
}

/** The checks a client's SLA covers (weight > 0): what its figure, incidents and report count. */
export async function coveredChecksOfClient(src: AvailabilitySource, clientId: number): Promise<CheckInfo[]> {
  return (await checksOfClient(src, clientId)).filter((c) => c.weight > 0);
}

export async function agentInfo(src: AvailabilitySource, agentId: string): Promise<AgentInfo | undefined> {
  return await src.availability.host(agentId);
}

export async function agentsOfClient(src: AvailabilitySource, clientId: number): Promise<AgentInfo[]> {
  return await src.availability.hostsOfClient(clientId);
}

/** A client by id or name, with its SLA target. */
export async function clientInfo(src: AvailabilitySource, idOrName: string | number): Promise<ClientInfo | undefined> {
  return await src.availability.client(idOrName);
}

/** How far before a window the result covering its start may have started: 2 × the longest interval the check had. */
export function lookbackMs(check: Pick<CheckInfo, 'intervalMs'> & Partial<Pick<CheckInfo, 'maxIntervalMs'>>): number {
  return 2 * Math.max(check.intervalMs, check.maxIntervalMs ?? 0);
}

/** Results of one check starting in [from − lookback, to): enough to know the state from `from` on. */
export async function rawResults(
  src: AvailabilitySource, check: Pick<CheckInfo, 'agentId' | 'checkId' | 'intervalMs'> & Partial<Pick<CheckInfo, 'maxIntervalMs'>>, from: number, to: number,
  want: { messages?: boolean; latency?: boolean } = {},
): Promise<RawResult[]> {
  return await src.availability.results(check.agentId, check.checkId, from - lookbackMs(check), to, want);
}

/** Spans the agent's spool dropped, overlapping [from, to). */
export async function gapSpans(src: AvailabilitySource, agentId: string, from: number, to: number): Promise<Span[]> {
  return await src.availability.gaps(agentId, from, to);
}

/** Every maintenance window of a client (all scopes), with the client's time zone. */
export async function windowsOfClient(src: AvailabilitySource, clientId: number): Promise<MaintenanceWindow[]> {
  return await src.maintenance.windowsOfClient(clientId);
}

export function windowApplies(w: MaintenanceWindow, check: CheckRef): boolean {
  return (w.agentId === null || w.agentId === check.agentId) && (w.checkId === null || w.checkId === check.checkId);
}

/** The maintenance spans that apply to a check within [from, to). */
export async function maintenanceSpans(src: AvailabilitySource, check: CheckRef & { clientId: number }, from: number, to: number): Promise<Span[]> {
  return maintenanceSpansIn(await windowsOfClient(src, check.clientId), check, from, to);
}

/** The same from the client's windows read already. */
export function maintenanceSpansIn(windows: readonly MaintenanceWindow[], check: CheckRef, from: number, to: number): Span[] {
  return windows.filter((w) => windowApplies(w, check)).flatMap((w) => occurrences(w, from, to));
}
