/** Incidents: the DOWN spans of a check, host or client within a window, with their cause. Read from raw results. */
import { renderResultMessage, type ResultParams } from '@nines/shared';
import { rawCheckSegments, rawHostSegments, readView } from './rollups.ts';
import { checksOfClient, coveredChecksOfClient, type AvailabilitySource, type CheckInfo, type RawResult } from './source.ts';
import { scopeTarget, type Scope } from './query.ts';
import { resolveWindow } from './windows.ts';
import { GATHERED_READS, mapSideBySide } from './side-by-side.ts';
import { NinesError } from '../errors.ts';
import type { Segment } from './timeline.ts';

export interface Incident {
  agentId: string;
  /** null for a host incident. */
  checkId: string | null;
  /** "host / check" or "host". */
  name: string;
  from: number;
  to: number;
  durationMs: number;
  /** The message of the failing result that started it (host: of each critical check down at its start), in English. */
  cause: string;
  /** The same per check, with the message's code and params, so the edges render it per language (incidentCause). */
  causes: IncidentCause[];
  /** Still DOWN at the end of the window, which is now. */
  ongoing: boolean;
}

export interface IncidentCause {
  /** The check's name in a host incident; null when the incident is of that check itself. */
  check: string | null;
  message: string;
  code: string | null;
  params: ResultParams | null;
}

/** The cause result's code and params, read by seq: the segment engine reads only what it needs for figures. */
async function causeOf(src: AvailabilitySource, check: CheckInfo, result: RawResult | undefined, named: boolean): Promise<IncidentCause> {
  const stored = result ? await src.availability.resultCode(check.agentId, result.seq) : undefined;
  return { check: named ? check.name : null, message: result?.message ?? '', code: stored?.code ?? null, params: stored?.params ?? null };
}

/** An incident's cause as a person reads it in `lang`: "Verbindung zu 127.0.0.1:18511 abgelehnt"; host incidents name each check. */
export function incidentCause(incident: Pick<Incident, 'cause' | 'causes'>, lang: string): string {
  if (!incident.causes?.length) return incident.cause;
  return incident.causes.map((c) => `${c.check ? `${c.check}: ` : ''}${renderResultMessage(c.code, c.params, lang, c.message)}`).join('; ');
}

async function checkIncidents(src: AvailabilitySource, check: CheckInfo, from: number, until: number, now: number): Promise<Incident[]> {
  const { segments, results } = await rawCheckSegments(src, check, from, until, true);
  const found: Incident[] = [];
  for (const s of segments) {
    if (s.state !== 'DOWN') continue;
    found.push({
      agentId: check.agentId, checkId: check.checkId, name: `${check.agentName} / ${check.name}`, from: s.from, to: s.to, durationMs: s.to - s.from,
      cause: results[s.cause]?.message ?? '', causes: [await causeOf(src, check, results[s.cause], false)], ongoing: s.to === until && until === now,
    });
  }
  return found;
}

function stateAt(segments: readonly Segment[], at: number): Segment | undefined {
  return segments.find((s) => s.from <= at && at < s.to);
}

async function hostIncidents(src: AvailabilitySource, agentId: string, name: string, from: number, until: number, now: number): Promise<Incident[]> {
  const { segments, perCheck } = await rawHostSegments(src, agentId, from, until, true);
  const found: Incident[] = [];
  for (const s of segments) {
    if (s.state !== 'DOWN') continue;
    const down = perCheck.map((p) => ({ p, seg: stateAt(p.segments, s.from) })).filter(({ seg }) => seg?.state === 'DOWN');
    const causes: IncidentCause[] = [];
    for (const { p, seg } of down) causes.push(await causeOf(src, p.check, p.results[seg!.cause], true));
    found.push({
      agentId, checkId: null, name, from: s.from, to: s.to, durationMs: s.to - s.from, ongoing: s.to === until && until === now,
      cause: down.map(({ p, seg }) => `${p.check.name}: ${p.results[seg!.cause]?.message ?? ''}`).join('; '),
      causes,
    });
  }
  return found;
}

/**
 * DOWN spans, oldest first: of a check, of a host (its critical checks), or of a client (every check its
 * SLA covers). Raw results are kept for the retention period only, so older windows list fewer incidents.
 */
export async function incidents(src: AvailabilitySource, scope: Scope, id: string, window: string | { from: number; to: number }, now: number): Promise<Incident[]> {
  const target = await scopeTarget(src, scope, id);
  let span;
  try {
    span = resolveWindow(window, now, target.timeZone);
  } catch (error) {
    throw new NinesError('BAD_REQUEST', (error as Error).message);
  }
  const { from, until } = span;
  if (scope === 'check') {
    const slash = id.indexOf('/');
    const check = (await checksOfClient(src, target.clientId)).find((c) => c.agentId === id.slice(0, slash) && c.checkId === id.slice(slash + 1))!;
    return checkIncidents(src, check, from, until, now);
  }
  if (scope === 'host') return hostIncidents(src, id, target.name, from, until, now);
  const covered = await coveredChecksOfClient(src, target.clientId);
  const view = readView(src); // the checks' reads side by side, one agent's gathered into one statement each
  const found = (await mapSideBySide(covered, (c) => checkIncidents(view, c, from, until, now), GATHERED_READS)).flat();
  return found.sort((a, b) => a.from - b.from || a.name.localeCompare(b.name));
}
