import type { ResultParams } from '@nines/shared';
import type { AlertEvent, AlertMemory, AlertState, Severity } from '../alerting/state-machine.ts';

/** check: one check; agentSilent / hostDown / agentQuota: one agent (subject ''); budget: a whole client (no agent, subject 'YYYY-MM:percent'). */
export type AlertKind = 'check' | 'agentSilent' | 'hostDown' | 'agentQuota' | 'budget';

export interface AlertRecord {
  id: number;
  clientId: number;
  /** '' for client-level alerts (kind 'budget'). */
  agentId: string;
  kind: AlertKind;
  /** The check id; '' for agent-level alerts. */
  subject: string;
  checkKind: string | null;
  /** The state machine's memory; `state` and `severity` are its copies as last saved. */
  memory: AlertMemory;
  state: AlertState;
  severity: Severity | null;
  message: string;
  metrics: Record<string, number>;
  /** Counts incidents: one incident, one mail thread. */
  incident: number;
  /** When this incident's first notice was written; null: not yet, or held back. */
  announcedAt: number | null;
  /** Basis of reminders. */
  lastNoticeAt: number | null;
  escalated: boolean;
  ackedAt: number | null;
  ackedBy: string | null;
  silencedUntil: number | null;
  updatedAt: number;
}

/** What identifies the alert of a check or of an agent. */
export interface AlertKey {
  clientId: number;
  agentId: string;
  kind: AlertKind;
  subject: string;
  checkKind: string | null;
}

export interface TransitionInput {
  alertId: number;
  incident: number;
  event: AlertEvent;
  from: AlertState;
  to: AlertState;
  severity: Severity | null;
  message: string;
  at: number;
  /** Why no notice was written (maintenance, agentSilent, silenced, hostDown, unannounced, monthEnded); null when one was. */
  held: string | null;
  /** The causing result's message code and params; absent for the collector's own texts and old agents. */
  code?: string | null;
  params?: ResultParams | null;
}

/** A stored transition as the API shows it (code and params stay with the notices). */
export type TransitionRecord = Omit<TransitionInput, 'code' | 'params'> & { id: number };

/** The names of what an alert is about, and when its current incident began (for the acknowledge page). */
export interface AlertDescription {
  checkName: string;
  agentName: string;
  hostname: string | null;
  clientName: string;
  incidentSince: number | null;
}

/**
 * The alerts and their transitions (migrations 004, 006): one row per thing that can alert, its state-machine
 * memory, acknowledgement and silence, and every transition worth telling. Reached as `store.alerts`.
 */
export interface AlertRepository {
  /** The alert of a check or agent, created with `initial` memory (state OK) on first use. */
  alertFor(key: AlertKey, initial: AlertMemory, now: number): Promise<AlertRecord>;
  /** A client-level alert (no agent), created with `initial` memory (state OK) on first use. */
  clientAlertFor(key: { clientId: number; kind: AlertKind; subject: string }, initial: AlertMemory, now: number): Promise<AlertRecord>;
  /** Whether a client-level alert exists (in any state). */
  hasClientAlert(clientId: number, kind: AlertKind, subject: string): Promise<boolean>;
  /** The alert of an agent (kind and subject as in AlertKey), if it exists. */
  find(agentId: string, kind: AlertKind, subject: string): Promise<AlertRecord | undefined>;
  /** An alert by id. */
  get(id: number): Promise<AlertRecord | undefined>;
  /** Alerts, newest change first; `activeOnly` leaves out those in state OK; `clientIds` (when set) keeps only those clients'. */
  list(options?: { activeOnly?: boolean; clientIds?: ReadonlySet<number> | null }): Promise<AlertRecord[]>;
  /** Alerts of one kind not in state OK. */
  activeOfKind(kind: AlertKind): Promise<AlertRecord[]>;
  /** Announced alerts in FIRING, FLAPPING or RESOLVING: those whose time-driven work (reminder, escalation) may be due. */
  announcedActive(): Promise<AlertRecord[]>;
  /** Check alerts of one agent, by check id. */
  checkAlertsOf(agentId: string): Promise<Map<string, AlertRecord>>;
  /**
   * Check alerts of one agent's designated critical checks only, by check id: what the host-down rule reads
   * after every evaluated batch (reading all of an agent's check alerts there cost most of the collector's CPU, issue 18).
   */
  criticalCheckAlertsOf(agentId: string): Promise<Map<string, AlertRecord>>;
  /** Checks explicitly designated critical for their host (check_sla, set through availability): the host-down rule's input. */
  designatedCriticalChecks(agentId: string): Promise<string[]>;
  /** Names and incident start of an alert, for the acknowledge page; undefined when there is no such alert. */
  describe(alertId: number): Promise<AlertDescription | undefined>;
  /**
   * Saves the alert (state and severity from its memory), in the caller's transaction. Every read afterwards returns
   * what was saved. A check alert that stays OK with only its success counter, last observation time, message,
   * metrics and updatedAt changed may be kept in memory only (the SQLite repository does: issue 18); everything a
   * transition or a notice depends on is written at once.
   */
  save(alert: AlertRecord): Promise<void>;
  /** Counts alerts per state (states without alerts are absent), for /metrics. */
  countByState(): Promise<Map<AlertState, number>>;

  /** Stores a transition; returns its id (the outbox rows refer to it). */
  insertTransition(transition: TransitionInput): Promise<number>;
  /** Every transition of an alert, oldest first. */
  transitions(alertId: number): Promise<TransitionRecord[]>;
}
