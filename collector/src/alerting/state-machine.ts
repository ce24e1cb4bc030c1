import type { ResultParams, Status } from '@nines/shared';

/**
 * The alert state of one check (or agent), as an explicit state machine:
 *   OK → PENDING (a failure) → FIRING (n consecutive failures) → RESOLVING (a success) → OK (m consecutive successes),
 * and FLAPPING when the pass/fail outcome changed too often within a window.
 * Pure: memory + observation + thresholds → new memory + the transitions worth telling someone about.
 * Time comes from the observation (the result's time), never from a wall clock.
 */
export type AlertState = 'OK' | 'PENDING' | 'FIRING' | 'RESOLVING' | 'FLAPPING';
export type Severity = 'WARN' | 'CRIT';

/** Events a person may be told about; `changed` = severity moved while firing. */
export type AlertEvent = 'firing' | 'changed' | 'resolved' | 'flapping' | 'reminder' | 'escalation';

export interface AlertMemory {
  state: AlertState;
  /** Severity of the current problem; null while OK. */
  severity: Severity | null;
  /** Consecutive failing observations (reset by a success). */
  failures: number;
  /** Consecutive passing observations (reset by a failure). */
  successes: number;
  /** Times at which the pass/fail outcome flipped, newest last, only those inside the flap window. */
  changes: number[];
  /** Whether the last observation failed; null before the first. */
  lastFailing: boolean | null;
  /** Time of the last observation, so that late (older) results do not rewind the state. */
  lastAt: number | null;
}

export interface Observation {
  status: Status;
  at: number;
  message: string;
  /** The result message's code and params, so notices render it per recipient language. */
  code?: string | null;
  params?: ResultParams | null;
}

export interface Thresholds {
  failuresToFire: number;
  successesToResolve: number;
  flapWindowMs: number;
  /** Changes within flapWindowMs that mean FLAPPING; it ends when at most half as many remain. */
  flapChanges: number;
  /** A probe that could not decide (UNKNOWN) alerts with this severity. */
  unknownSeverity: Severity;
}

export interface Transition {
  event: Exclude<AlertEvent, 'reminder' | 'escalation'>;
  from: AlertState;
  to: AlertState;
  severity: Severity | null;
  at: number;
  message: string;
}

export const INITIAL_MEMORY: AlertMemory = Object.freeze({
  state: 'OK', severity: null, failures: 0, successes: 0, changes: [], lastFailing: null, lastAt: null,
}) as AlertMemory;

export function severityOf(status: Status, thresholds: Pick<Thresholds, 'unknownSeverity'>): Severity | null {
  if (status === 'OK') return null;
  if (status === 'UNKNOWN') return thresholds.unknownSeverity;
  return status;
}

/** Feeds one observation to the machine. Observations older than the last one seen are ignored (late replays). */
export function observe(memory: AlertMemory, observation: Observation, thresholds: Thresholds): { memory: AlertMemory; transitions: Transition[] } {
  if (memory.lastAt !== null && observation.at < memory.lastAt) return { memory, transitions: [] };
  const severity = severityOf(observation.status, thresholds);
  const failing = severity !== null;
  const changed = memory.lastFailing !== null && memory.lastFailing !== failing;
  const changes = [...memory.changes, ...(changed ? [observation.at] : [])].filter((t) => t > observation.at - thresholds.flapWindowMs);
  const next: AlertMemory = {
    ...memory,
    failures: failing ? memory.failures + 1 : 0,
    successes: failing ? 0 : memory.successes + 1,
    changes,
    lastFailing: failing,
    lastAt: observation.at,
  };
  const transitions: Transition[] = [];
  const move = (to: AlertState, event: Transition['event'] | null, newSeverity: Severity | null) => {
    if (event) transitions.push({ event, from: memory.state, to, severity: newSeverity, at: observation.at, message: observation.message });
    next.state = to;
    next.severity = newSeverity;
  };

  if (memory.state === 'FLAPPING') {
    if (changes.length > Math.floor(thresholds.flapChanges / 2)) {
      next.severity = worse(memory.severity, severity);
    } else if (failing) {
      move('FIRING', 'firing', severity);
    } else {
      move('OK', 'resolved', null);
    }
    return { memory: next, transitions };
  }
  if (changes.length >= thresholds.flapChanges) {
    move('FLAPPING', 'flapping', worse(memory.severity, severity));
    return { memory: next, transitions };
  }

  switch (memory.state) {
    case 'OK':
    case 'PENDING':
      if (!failing) move('OK', null, null);
      else if (next.failures >= thresholds.failuresToFire) move('FIRING', 'firing', severity);
      else move('PENDING', null, severity);
      break;
    case 'FIRING':
      if (failing) {
        if (severity !== memory.severity) move('FIRING', 'changed', severity);
      } else if (next.successes >= thresholds.successesToResolve) {
        move('OK', 'resolved', null);
      } else {
        move('RESOLVING', null, memory.severity);
      }
      break;
    case 'RESOLVING':
      if (failing) move('FIRING', severity !== memory.severity ? 'changed' : null, severity);
      else if (next.successes >= thresholds.successesToResolve) move('OK', 'resolved', null);
      break;
  }
  return { memory: next, transitions };
}

function worse(a: Severity | null, b: Severity | null): Severity | null {
  if (a === 'CRIT' || b === 'CRIT') return 'CRIT';
  return a ?? b;
}

/** True while a problem is (or may be) ongoing: reminders and escalation only apply then. */
export function isActive(state: AlertState): boolean {
  return state === 'FIRING' || state === 'RESOLVING' || state === 'FLAPPING';
}
