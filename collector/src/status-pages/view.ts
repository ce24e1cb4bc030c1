import { STATUS_NOTICE_AHEAD_MS, STATUS_NOTICE_KEEP_MS, STATUS_PAGE_DAYS, type DayLevel, type PublicState, type StatusPageText, type StatusPageView } from '@nines/shared';
import { checkTotals, percentFloor, PPM, type AvailabilitySource, type ClientInfo, type StateTotals } from '../availability/index.ts';
import { checkInfo } from '../availability/source.ts';
import { rawCheckSegments } from '../availability/rollups.ts';
import { targetMet } from '../availability/budget.ts';
import { startOfLocalDay, toLocal } from '../availability/zoned-time.ts';
import type { StatusNoticeRecord, StatusPageRecord } from '../store/status-pages.ts';
import { STATUS_TEXTS } from './texts.ts';

const DAY_MS = 86_400_000;

export const localized = (text: StatusPageText, language: 'de' | 'en'): string => (language === 'en' ? (text.en ?? text.de) : text.de);

/** The state a check is in at `now`, as availability counts it (a stale result is UNKNOWN, maintenance paints). */
async function stateNow(src: AvailabilitySource, agentId: string, checkId: string, now: number): Promise<PublicState> {
  const check = await checkInfo(src, agentId, checkId);
  if (!check) return 'unknown';
  const last = (await rawCheckSegments(src, check, now - 60_000, now)).segments.at(-1);
  switch (last?.state) {
    case 'UP':
      return 'up';
    case 'DOWN':
      return 'down';
    case 'MAINTENANCE':
      return 'maintenance';
    default:
      return 'unknown';
  }
}

/** One day's bar: what a client would say of the day. */
export function dayLevel(totals: StateTotals, targetPpm: number): DayLevel {
  if (totals.upMs + totals.downMs === 0) return totals.maintenanceMs > 0 ? 'maintenance' : 'none';
  if (totals.downMs === 0) return 'ok';
  return targetMet(totals, targetPpm) ? 'partial' : 'down';
}

/** Worst first: an outage anywhere is the page's headline, then maintenance, then missing data; no service says nothing is known. */
export function overallOf(states: PublicState[]): PublicState {
  if (states.length === 0) return 'unknown';
  for (const s of ['down', 'maintenance', 'unknown'] as const) if (states.includes(s)) return s;
  return 'up';
}

function noticePhase(n: StatusNoticeRecord, now: number): 'upcoming' | 'current' | 'ended' {
  if (n.from > now) return 'upcoming';
  return n.to === null || n.to > now ? 'current' : 'ended';
}

/**
 * The page as one language shows it, at `now`: each configured service's state and its last STATUS_PAGE_DAYS
 * local days (the client's zone; today counted up to now), and the notices that are upcoming (within
 * STATUS_NOTICE_AHEAD_MS), current, or ended within STATUS_NOTICE_KEEP_MS. Reads day rows where they exist.
 */
export async function statusPageView(
  src: AvailabilitySource,
  client: ClientInfo,
  page: StatusPageRecord,
  notices: StatusNoticeRecord[],
  options: { language: 'de' | 'en'; brand: string; now: number },
): Promise<StatusPageView> {
  const { language, now } = options;
  const tz = client.timeZone;
  // Local midnights, oldest first: the last is today's.
  const starts: number[] = [startOfLocalDay(now, tz)];
  while (starts.length < STATUS_PAGE_DAYS) starts.unshift(startOfLocalDay(starts[0]! - DAY_MS / 2, tz));
  const dateOf = (start: number) => {
    const l = toLocal(start, tz);
    return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  };
  const services = [];
  for (const [i, service] of page.config.services.entries()) {
    const [agentId, checkId] = service.check.split('/') as [string, string];
    const check = await checkInfo(src, agentId, checkId);
    const total: StateTotals = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 };
    const days = [];
    for (const [d, start] of starts.entries()) {
      const end = Math.min(d + 1 < starts.length ? starts[d + 1]! : now, now);
      const totals = check ? await checkTotals(src, check, start, end) : { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 };
      total.upMs += totals.upMs;
      total.downMs += totals.downMs;
      days.push({ date: dateOf(start), level: dayLevel(totals, client.targetPpm), percent: percentFloor(totals.upMs, totals.upMs + totals.downMs, 2), downMs: totals.downMs });
    }
    services.push({
      position: i + 1, name: localized(service.name, language), state: await stateNow(src, agentId, checkId, now),
      uptimePercent: percentFloor(total.upMs, total.upMs + total.downMs, 3), met: targetMet(total, client.targetPpm), days,
    });
  }
  const shown = notices
    .map((n) => ({ n, phase: noticePhase(n, now) }))
    .filter(({ n, phase }) => (phase === 'upcoming' ? n.from - now <= STATUS_NOTICE_AHEAD_MS : phase === 'current' || now - n.to! <= STATUS_NOTICE_KEEP_MS));
  return {
    title: page.config.title ? localized(page.config.title, language) : `${STATUS_TEXTS[language].defaultTitle}: ${client.name}`,
    brand: options.brand, language, timeZone: tz, generatedAt: now,
    overall: overallOf(services.map((s) => s.state)),
    targetPercent: percentFloor(client.targetPpm, PPM, 3)!.replace(/\.?0+$/, ''),
    services,
    notices: shown.map(({ n, phase }) => ({ kind: n.kind, title: localized(n.title, language), body: n.body ? localized(n.body, language) : null, from: n.from, to: n.to, phase })),
  };
}
