import { Type } from '@sinclair/typebox';

/** Milliseconds since the Unix epoch, UTC. Everything on the wire and in the DB uses it. */
export type EpochMs = number;

/** Injected wherever logic depends on the time, so tests can drive it. */
export type Clock = () => EpochMs;
export const systemClock: Clock = () => Date.now();

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)\\s*$';

/** A duration in config: whole milliseconds, or a string such as "30s", "5m", "24h", "7d". */
export const DurationSchema = Type.Union([
  Type.Integer({ minimum: 0, description: 'milliseconds' }),
  Type.String({ pattern: DURATION_PATTERN, description: 'e.g. 500ms, 30s, 5m, 24h, 7d, 1w' }),
]);
export type Duration = number | string;

export function parseDuration(value: Duration): number {
  if (typeof value === 'number') return value;
  const match = new RegExp(DURATION_PATTERN).exec(value);
  if (!match) throw new Error(`invalid duration "${value}" (use e.g. 30s, 5m, 24h, 7d)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** "3 d 4 h", "12 min", "40 s": a duration as a person reads it (English; i18n lives at the edges). */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= UNIT_MS.d) {
    const d = Math.floor(abs / UNIT_MS.d);
    const h = Math.floor((abs % UNIT_MS.d) / UNIT_MS.h);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  if (abs >= UNIT_MS.h) {
    const h = Math.floor(abs / UNIT_MS.h);
    const m = Math.floor((abs % UNIT_MS.h) / UNIT_MS.m);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  if (abs >= UNIT_MS.m) return `${Math.floor(abs / UNIT_MS.m)} min`;
  if (abs >= UNIT_MS.s) return `${Math.floor(abs / UNIT_MS.s)} s`;
  return `${abs} ms`;
}
