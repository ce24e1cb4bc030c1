import type { ResultParams, Status } from '@nines/shared';
import type { AlertEvent, Severity } from '../alerting/state-machine.ts';
import type { AlertKind } from '../store/alerts.ts';
import type { Digest, DigestEntry, OutboxRepository, OutboxStats } from '../store/outbox.ts';
import type { AlertResultRepository } from '../store/alert-results.ts';
import type { AgentSilenceRepository } from '../store/agent-silences.ts';

/** One transition as a recipient reads it inside a digest. */
export interface NoticeItem {
  transitionId: number;
  event: AlertEvent;
  severity: Severity | null;
  at: number;
  message: string;
  /** The message's code and params (shared/src/messages), rendered in the recipient's language; null when it has none. */
  code?: string | null;
  params?: ResultParams | null;
  alertId: number;
  incident: number;
  alertKind: AlertKind;
  checkId: string;
  checkKind: string | null;
  checkName: string;
  /** '' for client-level alerts (error budget). */
  agentName: string;
  hostname: string | null;
  clientName: string;
  /**
   * Message, status and metrics of one stored result: for a check, the result that caused the transition (for a
   * reminder or escalation, the latest one by then); status null and the alert's own figures for agent, host and
   * budget alerts, which no single result causes.
   */
  status: Status | null;
  metrics: Record<string, number>;
  /** When the problem began (the first failed result of the incident's run, else its first transition): resolved mails give the duration. */
  problemSince: number;
  /** For a flapping check: outages (OK → failing) within the flap window up to the transition. */
  flap: { outages: number; windowMs: number } | null;
}

/** How far back the start of a run of failures is looked for: a run longer than that counts from there. */
const FAILING_LOOKBACK_MS = 31 * 86_400_000;


/** The Message-ID of a digest: unique per digest, recipient and the moment it was formed. */
export function digestMessageId(digestId: number, recipientId: number, now: number, domain: string): string {
  return `<nines.${digestId}.${recipientId}.${now}@${domain}>`;
}

/** What the outbox needs of the store. */
export type OutboxStores = { outbox: OutboxRepository; alertResults: AlertResultRepository; agentSilences: AgentSilenceRepository };

/**
 * The outbox, drained in two steps so nothing is lost or sent twice: due rows of one recipient are first gathered
 * into a digest whose Message-ID is fixed and committed; only then is it sent, and marked sent. A crash before the
 * send retries the same digest; duplicates can only arise if the process dies between the SMTP server's "250 OK"
 * and the commit of `sent_at` — and then the copy carries the same Message-ID, which mail clients collapse.
 * The commits are the repository's (store/outbox.ts); this turns its entries into what a recipient reads.
 */
export class Outbox {
  constructor(private readonly store: OutboxStores) {}

  /** Gathers due notices into digests, one per recipient; returns the new digests' ids. */
  async formDigests(now: number, groupWindowMs: number, domain: string): Promise<number[]> {
    return await this.store.outbox.formDigests(now, groupWindowMs, (digest) => digestMessageId(digest.id, digest.recipientId, now, domain));
  }

  /** Digests to send now: not sent, not given up, retry time reached. */
  async dueDigests(now: number): Promise<Digest[]> {
    return this.store.outbox.dueDigests(now);
  }

  /** The digest's items; `flapWindowMs` is the window FLAPPING is judged over (its outages are counted in it). */
  async items(digestId: number, flapWindowMs: number): Promise<NoticeItem[]> {
    const items: NoticeItem[] = [];
    for (const e of await this.store.outbox.entries(digestId)) items.push(await this.item(e, flapWindowMs));
    return items;
  }

  private async item(e: DigestEntry, flapWindowMs: number): Promise<NoticeItem> {
    const r = e.result;
    const item: NoticeItem = {
      transitionId: e.transitionId, event: e.event, severity: e.severity, at: e.at, alertId: e.alertId, incident: e.incident, alertKind: e.alertKind,
      checkId: e.checkId, checkKind: e.checkKind, checkName: e.checkName, agentName: e.agentName, hostname: e.hostname, clientName: e.clientName,
      message: r ? r.message : e.message,
      code: r ? r.code : e.code,
      params: r ? r.params : e.params,
      status: r ? r.status : null,
      // A check result pruned by retention leaves no figures rather than those of another result.
      metrics: r ? r.metrics : e.alertKind === 'check' ? {} : e.alertMetrics,
      problemSince: e.incidentAt ?? e.at,
      flap: null,
    };
    if (e.alertKind === 'check') {
      item.problemSince = await this.store.alertResults.failingRunStart(e.agentId, e.checkId, item.problemSince, FAILING_LOOKBACK_MS) ?? item.problemSince;
      if (e.event === 'flapping') item.flap = { outages: await this.outages(e.agentId, e.checkId, e.at, flapWindowMs), windowMs: flapWindowMs };
    }
    // An agent went silent at its last contact, before the verdict that opened the incident.
    if (e.alertKind === 'agentSilent') item.problemSince = await this.store.agentSilences.lastStartAtOrBefore(e.agentId, item.problemSince) ?? item.problemSince;
    return item;
  }

  /** How often the check went from passing to failing within (at - windowMs, at]. */
  private async outages(agentId: string, checkId: string, at: number, windowMs: number): Promise<number> {
    const { before, inside } = await this.store.alertResults.statusHistory(agentId, checkId, at - windowMs, at);
    let passing = before === undefined || before === 'OK';
    let outages = 0;
    for (const status of inside) {
      if (passing && status !== 'OK') outages++;
      passing = status === 'OK';
    }
    return outages;
  }

  async markSent(digestId: number, now: number): Promise<void> {
    await this.store.outbox.markSent(digestId, now);
  }

  /** Records a failed attempt; `retryAt` null means give up. */
  async markFailed(digestId: number, error: string, now: number, retryAt: number | null): Promise<void> {
    await this.store.outbox.markFailed(digestId, error, now, retryAt);
  }

  async stats(): Promise<OutboxStats> {
    return await this.store.outbox.stats();
  }
}
