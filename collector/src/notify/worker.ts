import type { Clock } from '@nines/shared';
import type { RecipientRepository } from '../store/recipients.ts';
import type { Outbox } from './outbox.ts';
import type { RenderOptions } from './templates/render.ts';
import type { ChannelSet } from './channel-set.ts';
import { ChannelError } from './channels/channel.ts';
import { noticeFor } from './notice.ts';

export interface DeliverySettings {
  groupWindowMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** The window FLAPPING is judged over: a flapping notice counts its outages in it. */
  flapWindowMs: number;
}

export interface DeliveryHealth {
  consecutiveFailures: number;
  /** When the current run of failed sends began; null while sends succeed. */
  failingSince: number | null;
  lastError: string | null;
  lastFailureAt: number | null;
  lastSuccessAt: number | null;
}

/** Consecutive failed sends after which delivery counts as failing (health, dead-man /fail ping). */
export const FAILING_AFTER = 3;

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Retry delay after the n-th failed attempt: base · 2^(n-1), capped. */
export function backoffMs(attempt: number, settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}

function freshHealth(): DeliveryHealth {
  return { consecutiveFailures: 0, failingSince: null, lastError: null, lastFailureAt: null, lastSuccessAt: null };
}

/**
 * Drains the outbox: gathers due notices into digests (one per contact point), renders each for its channel and
 * sends it, retries transient failures with backoff (not before a service's Retry-After), and gives up at once on a
 * permanent one (unknown chat, revoked webhook, channel not set up), saying why in the log and the outbox.
 */
export class DeliveryWorker {
  /** Over every channel. */
  readonly health: DeliveryHealth = freshHealth();
  /** Per channel kind, for the "cannot deliver over X" notice and the health route. */
  readonly channelHealth = new Map<string, DeliveryHealth>();
  private running: Promise<{ sent: number; failed: number }> | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly recipients: RecipientRepository,
    private channels: ChannelSet,
    private readonly settings: DeliverySettings,
    private readonly clock: Clock,
    private readonly domain: string,
    private readonly render: RenderOptions,
    private readonly log: Log,
  ) {}

  /** Sends over these channels from the next digest on (channel settings changed in Management). */
  useChannels(channels: ChannelSet): void {
    this.channels = channels;
  }

  get failing(): boolean {
    return this.health.consecutiveFailures >= FAILING_AFTER;
  }

  /** One pass; concurrent callers share the pass in progress, so a digest is never sent twice at once. */
  runOnce(): Promise<{ sent: number; failed: number }> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    await this.outbox.formDigests(this.clock(), this.settings.groupWindowMs, this.domain);
    for (const digest of await this.outbox.dueDigests(this.clock())) {
      const recipient = await this.recipients.get(digest.recipientId);
      // A channel not set up here (its settings missing) keeps its digests waiting, untried, until it is (start logs it).
      if (recipient && !this.channels.has(recipient.channel)) continue;
      const items = await this.outbox.items(digest.id, this.settings.flapWindowMs);
      const kind = recipient?.channel ?? '?';
      let where = `${kind} to recipient ${digest.recipientId}`;
      try {
        if (!recipient) throw new ChannelError(`recipient ${digest.recipientId} no longer exists`, 'permanent');
        const { definition, sender } = this.channels.sender(recipient.channel);
        where = `${kind} to ${definition.describe(recipient.target)}`;
        const notice = noticeFor(digest, items, recipient, this.render);
        await sender.send(notice, { id: recipient.id, label: recipient.name, target: recipient.target });
        await this.outbox.markSent(digest.id, this.clock());
        this.succeeded(kind);
        sent++;
      } catch (error) {
        const now = this.clock();
        const attempt = digest.attempts + 1;
        // A channel's own errors already name the service and the (masked) target; others get it said here.
        const reason = error instanceof ChannelError && recipient && this.channels.has(recipient.channel) ? error.message : `${where}: ${(error as Error).message}`;
        const permanent = error instanceof ChannelError && error.kind === 'permanent';
        const retryAfter = error instanceof ChannelError ? (error.retryAfterMs ?? 0) : 0;
        const retryAt = permanent || attempt >= this.settings.maxAttempts ? null : now + Math.max(backoffMs(attempt, this.settings), retryAfter);
        await this.outbox.markFailed(digest.id, reason, now, retryAt);
        this.failed(kind, reason, now);
        this.log.warn(
          { digest: digest.id, channel: kind, attempt, retryAt, permanent, err: reason },
          retryAt ? 'notification failed; will retry' : permanent ? 'notification refused for good; not retrying' : 'notification failed; giving up',
        );
        failed++;
      }
    }
    return { sent, failed };
  }

  private healthOf(kind: string): DeliveryHealth {
    let health = this.channelHealth.get(kind);
    if (!health) this.channelHealth.set(kind, (health = freshHealth()));
    return health;
  }

  private succeeded(kind: string): void {
    const now = this.clock();
    for (const health of [this.health, this.healthOf(kind)]) Object.assign(health, { consecutiveFailures: 0, failingSince: null, lastSuccessAt: now });
  }

  private failed(kind: string, reason: string, now: number): void {
    for (const health of [this.health, this.healthOf(kind)]) {
      Object.assign(health, { consecutiveFailures: health.consecutiveFailures + 1, failingSince: health.failingSince ?? now, lastError: reason, lastFailureAt: now });
    }
  }
}
