import type { Clock } from '@nines/shared';
import type { Store } from '../store/store.ts';
import type { AlertRecord, AlertRepository } from '../store/alerts.ts';
import type { AgentCursor, AlertResultRepository, StoredResult } from '../store/alert-results.ts';
import type { AgentSilenceRepository } from '../store/agent-silences.ts';
import type { OutboxRepository } from '../store/outbox.ts';
import type { RecipientRepository } from '../store/recipients.ts';
import { dueAt, recipientsFor } from './routing.ts';
import type { AlertSettings } from './settings.ts';
import { monthOf, type AvailabilityFigure } from '../availability/index.ts';
import { budgetCrossings, monthOfSubject } from './budget.ts';
import { hostDownVerdict } from './host-down.ts';
import { INITIAL_MEMORY, isActive, observe, type AlertEvent, type Observation, type Thresholds, type Transition } from './state-machine.ts';

/** Whether alerts of a check are silenced by a maintenance window at `at` (issue 8 provides the real one). */
export type MaintenanceLookup = (query: { clientId: number; agentId: string; checkId: string | null; at: number }) => Promise<boolean>;

/** A client's availability over its current calendar month (availability/query.ts): the error budget's input. */
export type MonthAvailability = (clientId: number, now: number) => Promise<Pick<AvailabilityFigure, 'timeZone' | 'budget' | 'availabilityPercent'>>;

/** What the engine needs of the store: the alerting repositories, and the clients (time zones, the budget pass). */
export type AlertingStores = Pick<Store, 'unitOfWork' | 'alerts' | 'alertResults' | 'agentSilences' | 'outbox' | 'recipients' | 'findClient' | 'listClients'>;

/** Why notices are held back (a reason, or null for none), or the lookup that tells it when asked. */
type Hold = string | null | (() => Promise<string | null>);

/** An 'agent exceeds its quota' alert resolves after this long without a refused frame. */
export const QUOTA_CALM_MS = 3_600_000;

const EVALUATION_BATCH = 500; // results per transaction: short write locks while catching up a long backlog

/**
 * Drives alert state from stored results (never from the socket), so evaluation can always catch up:
 * per agent a cursor says up to which seq results were evaluated, and moves in the same transaction
 * as the alert state, its transitions and their outbox rows.
 */
export class AlertEngine {
  readonly alerts: AlertRepository;
  readonly recipients: RecipientRepository;
  private readonly results: AlertResultRepository;
  private readonly silences: AgentSilenceRepository;
  private readonly outbox: OutboxRepository;
  /** When the monthly error budgets were last looked at (in memory: after a restart they are looked at at once). */
  private budgetsCheckedAt: number | null = null;

  constructor(
    private readonly store: AlertingStores,
    private readonly clock: Clock,
    public settings: AlertSettings,
    public maintenance: MaintenanceLookup = async () => false,
    /** Unset: no error-budget alerts (the alerting plugin sets it). */
    public monthAvailability: MonthAvailability | null = null,
  ) {
    this.alerts = store.alerts;
    this.recipients = store.recipients;
    this.results = store.alertResults;
    this.silences = store.agentSilences;
    this.outbox = store.outbox;
  }

  /**
   * Evaluates every stored result not evaluated yet (of the given agents only, when `agentIds` is passed:
   * what the post-commit path does, so one agent's batch does not scan all agents); returns how many.
   * Safe to call any time, any number of times.
   */
  async evaluateStored(agentIds?: Iterable<string>): Promise<number> {
    const behind: AgentCursor[] = [];
    if (agentIds) {
      for (const id of agentIds) {
        const cursor = await this.results.agentBehind(id);
        if (cursor) behind.push(cursor);
      }
    } else behind.push(...(await this.results.agentsBehind()));
    let evaluated = 0;
    for (const agent of behind) {
      let cursor = agent.cursor;
      for (;;) {
        const batch = await this.results.resultsAfter(agent.agentId, cursor, EVALUATION_BATCH);
        const upTo = batch.length ? batch.at(-1)!.seq : await this.results.lastSeq(agent.agentId);
        await this.store.unitOfWork(async () => {
          for (const result of batch) await this.evaluateResult(agent.agentId, agent.clientId, result);
          if (batch.length) await this.evaluateHost(agent.agentId, agent.clientId, batch.at(-1)!.startedAt);
          await this.results.setCursor(agent.agentId, upTo, this.clock());
        });
        evaluated += batch.length;
        cursor = upTo;
        if (batch.length < EVALUATION_BATCH) break;
      }
    }
    return evaluated;
  }

  private async evaluateResult(agentId: string, clientId: number, result: StoredResult): Promise<void> {
    const now = this.clock();
    const alert = await this.alerts.alertFor({ clientId, agentId, kind: 'check', subject: result.checkId, checkKind: result.checkKind || null }, INITIAL_MEMORY, now);
    alert.metrics = result.metrics;
    if (result.checkKind) alert.checkKind = result.checkKind;
    // Asked only when the observation needs it (apply): a passing result of a quiet check needs no maintenance,
    // silence or host-down lookup, and that is nearly every result (issue 18: 7 % of the collector's busy time).
    const held = () => this.holdReason(alert, result.startedAt, now);
    await this.apply(alert, { status: result.status, at: result.startedAt, message: result.message, code: result.code, params: result.params }, this.settings, held, now);
  }

  /** Why a check's notices are held back at `at`, or null. */
  private async holdReason(alert: AlertRecord, at: number, now: number): Promise<string | null> {
    if (alert.silencedUntil !== null && alert.silencedUntil > now) return 'silenced';
    if (await this.maintenance({ clientId: alert.clientId, agentId: alert.agentId, checkId: alert.kind === 'check' ? alert.subject : null, at })) return 'maintenance';
    if (alert.kind === 'check' && await this.silences.silentAt(alert.agentId, at)) return 'agentSilent';
    if (alert.kind === 'check' && await this.hostIsDown(alert.agentId)) return 'hostDown';
    return null;
  }

  private async hostIsDown(agentId: string): Promise<boolean> {
    return (await this.alerts.find(agentId, 'hostDown', ''))?.memory.state === 'FIRING';
  }

  /**
   * One 'host down' alert when every check designated critical for the host (setCheckSla, not the default
   * that counts every service check) fires at CRIT — so one failing website on a host is told as itself; its check alerts' notices are held back while it lasts, including those
   * still waiting in their grouping window. It resolves when a critical check recovers. Call inside a transaction.
   */
  private async evaluateHost(agentId: string, clientId: number, at: number): Promise<void> {
    const critical = await this.alerts.designatedCriticalChecks(agentId);
    // Only the critical checks' alerts, and none at all without critical checks: this runs after every batch (issue 18).
    const down = critical.length === 0 ? null : hostDownVerdict(critical, await this.alerts.criticalCheckAlertsOf(agentId));
    const existing = await this.alerts.find(agentId, 'hostDown', '');
    if (!down && (!existing || existing.state === 'OK')) return;
    const now = this.clock();
    const alert = existing ?? await this.alerts.alertFor({ clientId, agentId, kind: 'hostDown', subject: '', checkKind: null }, INITIAL_MEMORY, now);
    const wasDown = alert.memory.state === 'FIRING';
    alert.metrics = down ? { critical_checks: critical.length } : {};
    const message = down ? `all ${down.length} critical check(s) down: ${down.join(', ')}` : 'a critical check is up again';
    const hostThresholds: Thresholds = { ...this.settings, failuresToFire: 1, successesToResolve: 1 };
    await this.apply(alert, { status: down ? 'CRIT' : 'OK', at: Math.max(at, alert.memory.lastAt ?? at), message }, hostThresholds, await this.holdReason(alert, at, now), now);
    if (down && !wasDown) await this.outbox.withdrawPendingCheckNotices(agentId, 'hostDown');
  }

  /**
   * One observation through the state machine, with its transitions recorded and routed; call inside a transaction.
   * `hold` is why notices are held back (holdReason), or the lookup that says it: it is asked before anything of the
   * alert changes, and only when a transition is recorded or the alert is FIRING or FLAPPING (the only uses of it).
   */
  private async apply(alert: AlertRecord, observation: Observation, thresholds: Thresholds, hold: Hold, now: number): Promise<Transition[]> {
    const { memory, transitions } = observe(alert.memory, observation, thresholds);
    const needed = transitions.length > 0 || memory.state === 'FIRING' || memory.state === 'FLAPPING';
    const held = typeof hold !== 'function' ? hold : needed ? await hold() : null;
    alert.memory = memory;
    alert.message = observation.message;
    alert.updatedAt = now;
    for (const t of transitions) {
      const newProblem = (t.event === 'firing' || t.event === 'flapping') && (t.from === 'OK' || t.from === 'PENDING');
      if (newProblem) Object.assign(alert, { incident: alert.incident + 1, announcedAt: null, escalated: false, ackedAt: null, ackedBy: null });
      if (t.event === 'resolved') {
        // A month's budget alert ends with the month: nothing happened that anyone needs to be told about.
        await this.record(alert, t.event, t, alert.announcedAt === null ? 'unannounced' : held === 'monthEnded' ? held : null, now, observation);
        Object.assign(alert, { announcedAt: null, escalated: false, ackedAt: null, ackedBy: null, silencedUntil: null });
        continue;
      }
      // A change of an incident nobody was told about yet is announced as the incident itself, below.
      if (t.event === 'changed' && alert.announcedAt === null) continue;
      await this.record(alert, t.event, t, held, now, observation);
      if (!held && alert.announcedAt === null) alert.announcedAt = now;
    }
    if (!held && alert.announcedAt === null && (memory.state === 'FIRING' || memory.state === 'FLAPPING')) {
      // Held back earlier (agent silent, maintenance, silenced) and still failing now: tell it now.
      const event = memory.state === 'FLAPPING' ? 'flapping' : 'firing';
      await this.record(alert, event, { from: memory.state, to: memory.state, severity: memory.severity, at: observation.at, message: observation.message }, null, now, observation);
      alert.announcedAt = now;
    }
    await this.alerts.save(alert);
    return transitions;
  }

  /** Writes a transition and, unless held, one outbox row per recipient who should hear of it. */
  private async record(
    alert: AlertRecord,
    event: AlertEvent,
    t: Pick<Transition, 'from' | 'to' | 'severity' | 'at' | 'message'>,
    held: string | null,
    now: number,
    coded?: Pick<Observation, 'code' | 'params'>,
  ): Promise<void> {
    const transitionId = await this.alerts.insertTransition({
      alertId: alert.id, incident: alert.incident, event, from: t.from, to: t.to, severity: t.severity ?? alert.memory.severity, message: t.message, at: t.at, held,
      code: coded?.code ?? null, params: coded?.params ?? null,
    });
    if (held) return;
    const told = new Set(await this.outbox.recipientsToldAbout(alert.id, alert.incident));
    const severity = t.severity ?? alert.severity ?? alert.memory.severity;
    const candidates = await this.recipients.forClient(alert.clientId);
    // Over quota is the consultant's business (a broken or hostile agent), not something to tell a client.
    const audience = alert.kind === 'agentQuota' ? candidates.filter((r) => r.audience === 'technical') : candidates;
    for (const recipient of recipientsFor(event, severity, audience, told)) {
      await this.outbox.enqueue(transitionId, recipient.id, now, dueAt(recipient, now, this.settings.groupWindowMs));
    }
    alert.lastNoticeAt = now;
  }

  /** Time-driven work: agent silence, reminders, escalation. */
  async tick(now = this.clock()): Promise<void> {
    await this.detectSilence(now);
    await this.calmQuotas(now);
    await this.remindAndEscalate(now);
    // Last: the month's figures are the heaviest read here, and a failure in them must not cost the reminders.
    if (this.budgetsCheckedAt === null || now - this.budgetsCheckedAt >= this.settings.budgetEveryMs) await this.evaluateBudgets(now);
  }

  /**
   * Error budget burning: per client, one alert per calendar month (in the client's time zone) and threshold,
   * raised when the month's downtime passes that share of the month's budget. It stays open for the month and
   * resolves quietly when the month is over (a new month, a new budget; nothing to tell).
   */
  async evaluateBudgets(now: number): Promise<void> {
    this.budgetsCheckedAt = now;
    const monthThresholds: Thresholds = { ...this.settings, failuresToFire: 1, successesToResolve: 1 };
    for (const alert of await this.alerts.activeOfKind('budget')) {
      const timeZone = (await this.store.findClient(alert.clientId))?.timezone ?? 'UTC';
      if (monthOfSubject(alert.subject) === monthOf(now, timeZone)) continue;
      await this.store.unitOfWork(() => this.apply(alert, { status: 'OK', at: now, message: 'the month is over' }, monthThresholds, 'monthEnded', now));
    }
    const monthAvailability = this.monthAvailability;
    if (this.settings.budgetThresholds.length === 0 || !monthAvailability) return;
    const clientIds = (await this.store.listClients()).map((c) => c.id).sort((a, b) => a - b);
    for (const clientId of clientIds) {
      const figure = await monthAvailability(clientId, now);
      const month = monthOf(now, figure.timeZone);
      for (const crossing of budgetCrossings(month, figure.budget, figure.availabilityPercent, this.settings.budgetThresholds)) {
        if (await this.alerts.hasClientAlert(clientId, 'budget', crossing.subject)) continue; // once per month and threshold
        await this.store.unitOfWork(async () => {
          const alert = await this.alerts.clientAlertFor({ clientId, kind: 'budget', subject: crossing.subject }, INITIAL_MEMORY, now);
          alert.metrics = crossing.metrics;
          await this.apply(alert, { status: crossing.severity, at: now, message: crossing.message }, monthThresholds, await this.holdReason(alert, now, now), now);
        });
      }
    }
  }

  /**
   * Mirrors the delivery layer's verdict (agents.silent_since, set by ingest/silence.ts) into one 'agent silent'
   * alert per agent. Reading the stored mark rather than only the events means a crash loses no verdict.
   */
  private async detectSilence(now: number): Promise<void> {
    const agentThresholds: Thresholds = { ...this.settings, failuresToFire: 1, successesToResolve: 1 };
    for (const agent of await this.silences.candidates()) {
      const silent = agent.silentSince !== null;
      const existing = await this.alerts.find(agent.agentId, 'agentSilent', '');
      if (!silent && (!existing || existing.state === 'OK')) continue;
      await this.store.unitOfWork(async () => {
        const alert = existing ?? await this.alerts.alertFor({ clientId: agent.clientId, agentId: agent.agentId, kind: 'agentSilent', subject: '', checkKind: null }, INITIAL_MEMORY, now);
        const message = silent ? `no contact since ${new Date(agent.silentSince!).toISOString()}` : 'agent is back';
        alert.metrics = silent ? { silent_ms: now - agent.silentSince! } : {};
        const held = await this.holdReason(alert, now, now);
        if (silent) await this.silences.open(agent.agentId, agent.silentSince!);
        await this.apply(alert, { status: silent ? 'CRIT' : 'OK', at: now, message }, agentThresholds, held, now);
        if (!silent) await this.silences.close(agent.agentId, now);
      });
    }
  }

  /**
   * The ingest refused a frame of this agent for being over its quota (ingest/quota.ts): one 'agent exceeds its
   * quota' alert, told once to the technical recipients; further refusals while it is open only update it.
   */
  async agentOverQuota(event: { agentId: string; clientId: number; limit: string; reason: string; at: number }, now = this.clock()): Promise<void> {
    const thresholds: Thresholds = { ...this.settings, failuresToFire: 1, successesToResolve: 1 };
    await this.store.unitOfWork(async () => {
      const existing = await this.alerts.find(event.agentId, 'agentQuota', '');
      const alert = existing ?? await this.alerts.alertFor({ clientId: event.clientId, agentId: event.agentId, kind: 'agentQuota', subject: '', checkKind: null }, INITIAL_MEMORY, now);
      alert.metrics = { refused_at: event.at };
      await this.apply(alert, { status: 'CRIT', at: Math.max(event.at, alert.memory.lastAt ?? event.at), message: `agent exceeds its quota (${event.limit}): ${event.reason}` }, thresholds, await this.holdReason(alert, event.at, now), now);
    });
  }

  /** A quota alert without a refusal for QUOTA_CALM_MS resolves. */
  private async calmQuotas(now: number): Promise<void> {
    const thresholds: Thresholds = { ...this.settings, failuresToFire: 1, successesToResolve: 1 };
    for (const alert of await this.alerts.activeOfKind('agentQuota')) {
      if (now - (alert.memory.lastAt ?? now) < QUOTA_CALM_MS) continue;
      await this.store.unitOfWork(() => this.apply(alert, { status: 'OK', at: now, message: 'agent within its quota again' }, thresholds, null, now));
    }
  }

  private async remindAndEscalate(now: number): Promise<void> {
    for (const alert of await this.alerts.announcedActive()) {
      if (alert.ackedAt !== null || (alert.silencedUntil !== null && alert.silencedUntil > now)) continue;
      if (alert.kind === 'budget' || alert.kind === 'agentQuota') continue; // told once: reminding does not change it
      if (alert.kind === 'check' && (await this.silences.silentAt(alert.agentId, now) || await this.hostIsDown(alert.agentId))) continue;
      const { reminderEveryMs, escalateAfterMs } = this.settings;
      const t = { from: alert.state, to: alert.state, severity: alert.severity, at: now, message: alert.message };
      await this.store.unitOfWork(async () => {
        if (escalateAfterMs !== null && !alert.escalated && alert.announcedAt !== null && now - alert.announcedAt >= escalateAfterMs) {
          await this.record(alert, 'escalation', t, null, now);
          alert.escalated = true;
        }
        if (reminderEveryMs !== null && isActive(alert.state) && alert.state !== 'RESOLVING' && now - (alert.lastNoticeAt ?? now) >= reminderEveryMs) {
          await this.record(alert, 'reminder', t, null, now);
        }
        await this.alerts.save(alert);
      });
    }
  }

  /** Acknowledged: reminders and escalation stop for this incident; the resolved notice still goes out. */
  async acknowledge(alertId: number, by: string): Promise<AlertRecord | undefined> {
    const alert = await this.alerts.get(alertId);
    if (!alert) return undefined;
    if (alert.ackedAt === null && isActive(alert.state)) {
      alert.ackedAt = this.clock();
      alert.ackedBy = by;
      await this.alerts.save(alert);
    }
    return alert;
  }

  /** Silenced until `until`: no notices for this alert (its state is still tracked). */
  async silence(alertId: number, until: number): Promise<AlertRecord | undefined> {
    const alert = await this.alerts.get(alertId);
    if (!alert) return undefined;
    alert.silencedUntil = until;
    await this.alerts.save(alert);
    return alert;
  }
}
