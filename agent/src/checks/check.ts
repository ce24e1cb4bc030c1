import type { CheckKind, CheckConfigOf, Clock, ResultParams, Status } from '@nines/shared';
import type { Logger } from 'pino';
import type { ExecFn } from '../exec.ts';

/** What a check may touch of the world. Tests pass their own clock, exec or file reader. */
export interface CheckContext {
  clock: Clock;
  /** Aborted when the check's timeout passes; pass it on to sockets, requests and programs. */
  signal: AbortSignal;
  timeoutMs: number;
  exec: ExecFn;
  log: Logger;
  /** The agent's state directory (identity, spool, caches); probes may keep small state files under it. */
  stateDir: string;
  /** The agent's id once enrolled (absent for `check --once` on a machine not enrolled): spreads weekly work across machines. */
  agentId?: string;
}

export interface CheckOutcome {
  status: Status;
  /** One line a person understands: "HTTP 200 in 35 ms", "backup 3 d 4 h old (limit 1 d)". */
  message: string;
  /** Numbers with their unit in the name: latency_ms, age_s, size_bytes, used_percent. */
  metrics?: Record<string, number>;
  /** Structured extras for the dashboard, e.g. the pending package list. */
  details?: unknown;
  /** The message as a catalogue code + params (shared/src/messages), so the edges can render it per language. */
  code?: string;
  params?: ResultParams;
}

/** One check kind. The registry in ./index.ts lists them all; a missing kind is a type error there. */
export interface CheckDefinition<K extends CheckKind> {
  kind: K;
  /** Interval when the config gives none (patch and backup kinds check less often). */
  defaultIntervalMs?: number;
  /** Timeout when the config gives none (a cold package manager needs minutes, a TCP connect seconds). */
  defaultTimeoutMs?: number;
  run(config: CheckConfigOf<K>, ctx: CheckContext): Promise<CheckOutcome>;
}

/** Compares a measured value against warn/crit thresholds where higher is worse. */
export function thresholdStatus(value: number, warn?: number, crit?: number): Status {
  if (crit !== undefined && value >= crit) return 'CRIT';
  if (warn !== undefined && value >= warn) return 'WARN';
  return 'OK';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return (code && !error.message.includes(code) ? `${code} ` : '') + error.message + cause;
  }
  return String(error);
}
