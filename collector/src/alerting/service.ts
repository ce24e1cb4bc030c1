import type { FastifyBaseLogger } from 'fastify';
import type { SavedChannelSettings } from '../store/channel-settings.ts';
import type { AlertingConfig, ChannelsConfig, SmtpConfig } from '@nines/shared';
import type { CollectorContext } from '../context.ts';
import { AlertEngine, type MaintenanceLookup, type MonthAvailability } from './engine.ts';
import { alertSettingsFrom, type AlertSettings } from './settings.ts';
import { ackUrl, ACK_LINK_VALID_MS } from './ack-link.ts';
import { Outbox } from '../notify/outbox.ts';
import type { OutboxStats } from '../store/outbox.ts';
import { recipientFields, upsertRecipient } from './recipients.ts';
import { DeliveryWorker, type DeliveryHealth } from '../notify/worker.ts';
import { emailNotifier, senderDomain } from '../notify/email.ts';
import type { Notifier } from '../notify/notifier.ts';
import { ChannelSet } from '../notify/channel-set.ts';
import type { ChannelSender } from '../notify/channels/channel.ts';
import { ChannelWatch } from '../notify/channel-watch.ts';
import { DeliveryWatch, type DeliveryWatchState } from '../notify/delivery-watch.ts';
import { randomBytes } from 'node:crypto';

/**
 * Evaluation work per event-loop turn before yielding to ingest; the rest continues on the next turn. 8 ms (was 20)
 * since a pass gathers a second of frames (PASS_DELAY_MS): a bigger pass must not become a longer stall for the live
 * updates waiting behind it (their p99 budget is 50 ms). An agent's step is one transaction and is never split.
 */
const PASS_BUDGET_MS = 8;
/**
 * How long stored frames are gathered before their agents are evaluated: an agent sends a frame every ~200 ms at
 * 50 results/s, and each pass has a fixed cost (cursor, host-down rule, a commit), so one pass a second instead of
 * five costs less (issue 18). Notices wait in a grouping window of minutes anyway; a crash loses nothing (cursors).
 */
export const PASS_DELAY_MS = 1_000;

export interface AlertingStartOptions {
  alerting?: AlertingConfig;
  smtp?: SmtpConfig;
  /** Collector-wide settings per channel kind (the YAML's `channels:`). */
  channels?: ChannelsConfig;
  /** Senders that replace the ones built from the settings, by channel kind (tests of failure paths). */
  senders?: Partial<Record<string, ChannelSender<unknown>>>;
  /** The HTTP client channels use; the global fetch by default. */
  fetch?: typeof globalThis.fetch;
  /** HMAC key of acknowledge links (see ack-link.ts); random per process when absent. */
  secret?: Buffer;
  publicUrl?: string | null;
}

export interface AlertingHealth {
  /** configured: there is a contact point and every enabled one's channel is set up; unready: channels contact points use that are not. */
  delivery: DeliveryHealth & { configured: boolean; failing: boolean; unready: string[] };
  /** Per channel kind that has sent or tried to. */
  channels: Record<string, DeliveryHealth>;
  outbox: OutboxStats;
  deadMan: { url: string | null; lastPingAt: number | null; lastError: string | null };
  fallback: DeliveryWatchState & { configured: boolean };
}

/**
 * Alerting inside one collector. Nothing is evaluated until `start()` has applied the configured thresholds:
 * results stored before that are caught up through the per-agent cursors, so waiting loses nothing, while
 * evaluating early would judge them by the defaults. Delivery runs when a channel is configured.
 * One timer drives evaluation, time-driven work and delivery; tests step it with `runOnce()`.
 */
export class AlertingService {
  readonly engine: AlertEngine;
  readonly outbox: Outbox;
  worker: DeliveryWorker | null = null;
  secret: Buffer = randomBytes(32);
  publicUrl: string | null = null;
  /** The configured sender address; Message-IDs of messages sent outside the outbox are made under its domain. */
  smtpFrom: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private channels: ChannelSet | null = null;
  private channelOptions: Pick<AlertingStartOptions, 'smtp' | 'channels' | 'senders' | 'fetch'> = {};
  private fallbackNotifier: Notifier | null = null;
  private watch: DeliveryWatch | null = null;
  private channelWatch: ChannelWatch | null = null;
  private deadMan = { lastPingAt: null as number | null, lastError: null as string | null };
  private started = false;
  private readonly pendingAgents = new Set<string>();
  private pendingPass: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** The engine's passes run one at a time: two evaluations interleaved at their awaits would both read a cursor. */
  private passes: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: CollectorContext,
    private readonly log: FastifyBaseLogger,
  ) {
    this.engine = new AlertEngine(ctx.store, ctx.clock, alertSettingsFrom(undefined));
    this.outbox = new Outbox(ctx.store);
  }

  get isStarted(): boolean {
    return this.started;
  }

  get settings(): AlertSettings {
    return this.engine.settings;
  }

  set maintenance(lookup: MaintenanceLookup) {
    this.engine.maintenance = lookup;
  }

  /** Where the error budget's monthly figures come from; without it no budget alerts are raised. */
  set monthAvailability(lookup: MonthAvailability) {
    this.engine.monthAvailability = lookup;
  }

  /** Applies settings, seeds recipients from the config, and starts delivery when a channel is configured. */
  async start(options: AlertingStartOptions): Promise<void> {
    const saved = await this.ctx.store.channelSettings.list();
    this.engine.settings = alertSettingsFrom(options.alerting);
    if (options.secret) this.secret = options.secret;
    this.publicUrl = options.publicUrl ?? null;
    this.smtpFrom = options.smtp?.from ?? null;
    await this.seedRecipients(options.alerting?.recipients ?? []);
    this.channels?.close();
    this.channelOptions = options;
    this.channels = this.buildChannels(saved);
    const domain = senderDomain(options.smtp?.from ?? 'nines@nines.invalid');
    this.worker = new DeliveryWorker(this.outbox, this.engine.recipients, this.channels, this.settings, this.ctx.clock, domain, {
      brand: this.settings.brand,
      publicUrl: this.publicUrl,
      ackLink: (alertId, incident, recipient) =>
        this.publicUrl ? ackUrl(this.publicUrl, this.secret, alertId, incident, this.ctx.clock() + ACK_LINK_VALID_MS, recipient) : null,
    }, this.log);
    const unready = await this.unreadyChannels();
    if (unready.length > 0) this.log.warn({ channels: unready }, 'alerting: contact points use channels that are not set up; their notices wait in the outbox until they are');
    const consultants = async () => (await this.engine.recipients.list()).filter((r) => r.enabled && r.clientId === null && r.audience === 'technical');
    this.fallbackNotifier?.close();
    this.fallbackNotifier = options.smtp?.fallback ? emailNotifier(options.smtp.fallback) : null;
    this.watch = this.fallbackNotifier
      ? new DeliveryWatch(this.fallbackNotifier, async () => (await consultants()).filter((r) => r.channel === 'email'), this.settings, this.ctx.clock, senderDomain(options.smtp!.fallback!.from), this.log)
      : null;
    this.channelWatch = new ChannelWatch(this.channels, consultants, this.settings, this.ctx.clock, domain, this.log);
    this.started = true;
    await this.evaluate();
    this.schedule();
  }

  /** All or nothing: every recipient is checked (time zone, channel, target) before the first is stored. */
  private async seedRecipients(list: NonNullable<AlertingConfig['recipients']>): Promise<void> {
    const now = this.ctx.clock();
    for (const r of list) recipientFields({ ...r, clientId: null });
    for (const r of list) {
      const { client, ...rest } = r;
      const clientId = client === undefined ? null : (await this.ctx.store.ensureClient(client, now)).id;
      await upsertRecipient(this.engine.recipients, { ...rest, clientId }, now);
    }
  }

  /**
   * Whether this collector does the alerting: started, and the leader of the collectors sharing the database (the
   * others' batches reach it as events; the per-agent cursors say what is left whoever evaluated last).
   */
  private get active(): boolean {
    return this.started && this.ctx.leadership.leading;
  }

  /** Evaluates what was stored, does the time-driven work, and delivers what is due. */
  async runOnce(): Promise<void> {
    if (!this.active) return;
    await this.evaluate();
    await this.tick();
    await this.worker?.runOnce();
    if (this.worker && this.watch) await this.watch.check(this.worker.channelHealth.get('email') ?? this.worker.health, (await this.outbox.stats()).pendingDigests);
    if (this.worker && this.channelWatch) await this.channelWatch.check(this.worker.channelHealth);
    await this.pingDeadMan();
  }

  /** Catch-up evaluation of stored results; never throws into the caller (the ingest path). */
  async evaluate(): Promise<void> {
    if (!this.active) return;
    await this.exclusive(async () => {
      try {
        await this.engine.evaluateStored();
      } catch (error) {
        this.log.error({ err: error }, 'alert evaluation failed; it is retried on the next tick');
      }
    });
  }

  /** Runs `pass` after the engine's passes queued before it. */
  private exclusive(pass: () => Promise<void>): Promise<void> {
    const run = this.passes.then(pass);
    this.passes = run.catch(() => {}); // each pass handles its own failure; the next one runs regardless
    return run;
  }

  /**
   * Queues an agent whose batch was just committed. Evaluation runs PASS_DELAY_MS later, so the ack path does
   * no alerting work and the frames of a second (of any number of agents) cost one pass per agent.
   * Nothing is lost if the process dies before the pass: the cursors in the database still say what is
   * not evaluated, and `start()` and every tick catch up.
   */
  evaluateSoon(agentId: string): void {
    if (!this.active) return;
    this.pendingAgents.add(agentId);
    if (this.pendingPass) return;
    const timer = setTimeout(() => void this.evaluatePending(), PASS_DELAY_MS);
    timer.unref(); // a pending pass does not keep a stopping process alive: the cursors catch up on start
    this.pendingPass = timer;
  }

  /** Never rejects: a failure is logged, and the cursors catch up on the next tick. */
  private async evaluatePending(): Promise<void> {
    this.pendingPass = null;
    const deadline = performance.now() + PASS_BUDGET_MS;
    await this.exclusive(async () => {
      try {
        for (const agentId of this.pendingAgents) {
          this.pendingAgents.delete(agentId);
          await this.engine.evaluateStored([agentId]);
          if (performance.now() > deadline) break;
        }
      } catch (error) {
        this.log.error({ err: error }, 'alert evaluation failed; it is retried on the next tick');
      }
    });
    // Left over after the budget: continue on the next turn, after the sockets that became readable meanwhile.
    if (this.pendingAgents.size > 0) this.pendingPass = setImmediate(() => void this.evaluatePending());
  }

  /** Time-driven work (agent silence, reminders, escalation); never throws into the caller. */
  /** Raised at once, started or not: its thresholds are fixed, and a refusal is not seen again after a restart. */
  async agentOverQuota(event: Parameters<AlertEngine['agentOverQuota']>[0]): Promise<void> {
    if (!this.ctx.leadership.leading) return; // the leader hears of it through the bridge
    const now = this.ctx.clock(); // when it was refused, not when its turn comes
    await this.exclusive(async () => {
      try {
        await this.engine.agentOverQuota(event, now);
      } catch (error) {
        this.log.error({ err: error, agentId: event.agentId }, 'could not raise the over-quota alert');
      }
    });
  }

  /** Never rejects: a failure is logged, and the next tick tries again. */
  async tick(): Promise<void> {
    if (!this.active) return;
    const now = this.ctx.clock();
    await this.exclusive(async () => {
      try {
        await this.engine.tick(now);
      } catch (error) {
        this.log.error({ err: error }, 'alerting tick failed');
      }
    });
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.log.error({ err: error }, 'alerting tick failed'));
    }, this.settings.tickMs);
    this.timer.unref();
  }

  private async pingDeadMan(): Promise<void> {
    const { deadManUrl, deadManEveryMs } = this.settings;
    const now = this.ctx.clock();
    if (!deadManUrl || (this.deadMan.lastPingAt !== null && now - this.deadMan.lastPingAt < deadManEveryMs)) return;
    this.deadMan.lastPingAt = now;
    // healthchecks.io convention: <url>/fail reports a failure, so the outside watcher mails when our own mail does not go out.
    const url = this.worker?.failing ? `${deadManUrl.replace(/\/$/, '')}/fail` : deadManUrl;
    try {
      const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel();
      this.deadMan.lastError = response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      this.deadMan.lastError = (error as Error).message;
      this.log.warn({ err: error, url: deadManUrl }, 'dead-man ping failed');
    }
  }

  /** The channels from the file's `smtp:` and `channels:`, each kind saved in Management taking the file's place. */
  private buildChannels(savedList: readonly SavedChannelSettings[]): ChannelSet {
    const o = this.channelOptions;
    const saved = Object.fromEntries(savedList.map((s) => [s.kind, s.settings]));
    return new ChannelSet({ smtp: o.smtp, channels: { ...o.channels, ...saved } }, { fetch: o.fetch ?? globalThis.fetch, log: this.log, clock: this.ctx.clock }, o.senders);
  }

  /** The file's settings of a channel kind (`channels.<kind>`), for Management to show where a setting comes from. */
  fileChannelSettings(kind: string): Record<string, unknown> | null {
    return ((this.channelOptions.channels as Record<string, Record<string, unknown>> | undefined)?.[kind]) ?? null;
  }

  /** Rebuilds the channels after their settings changed in Management; the next send uses the new ones. */
  async reloadChannels(): Promise<void> {
    if (!this.channels) return;
    const saved = await this.ctx.store.channelSettings.list();
    const old = this.channels;
    this.channels = this.buildChannels(saved);
    this.worker?.useChannels(this.channels);
    this.channelWatch?.useChannels(this.channels);
    old.close();
  }

  /** Channel kinds enabled contact points use that have no sender here (settings missing). */
  async unreadyChannels(): Promise<string[]> {
    const used = new Set((await this.engine.recipients.list()).filter((r) => r.enabled).map((r) => r.channel));
    return [...used].filter((kind) => !this.channels?.has(kind)).sort();
  }

  /** The channels this collector runs, whether each can send and why not; null before start. */
  channelSet(): ChannelSet | null {
    return this.channels;
  }

  async health(): Promise<AlertingHealth> {
    const delivery = this.worker?.health ?? { consecutiveFailures: 0, failingSince: null, lastError: null, lastFailureAt: null, lastSuccessAt: null };
    const unready = this.channels ? await this.unreadyChannels() : [];
    const anyContact = (await this.engine.recipients.list()).some((r) => r.enabled);
    return {
      delivery: { ...delivery, configured: this.channels !== null && anyContact && unready.length === 0, failing: this.worker?.failing ?? false, unready },
      channels: Object.fromEntries(this.worker?.channelHealth ?? []),
      outbox: await this.outbox.stats(),
      deadMan: { url: this.settings.deadManUrl, ...this.deadMan },
      fallback: { configured: this.watch !== null, noticeSentAt: this.watch?.state.noticeSentAt ?? null, lastError: this.watch?.state.lastError ?? null },
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.pendingPass) {
      clearTimeout(this.pendingPass as NodeJS.Timeout);
      clearImmediate(this.pendingPass as NodeJS.Immediate);
    }
    this.pendingPass = null;
    this.pendingAgents.clear();
    this.channels?.close();
    this.fallbackNotifier?.close();
  }
}
