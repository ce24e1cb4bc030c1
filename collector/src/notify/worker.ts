import type { Clock } from '@nines/shared';
import type { RecipientRepository } from '../store/recipients.ts';
import type { Notifier } from './notifier.ts';
import type { Outbox } from './outbox.ts';
import { renderNotice, type RenderOptions } from './templates/render.ts';

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

/** Drains the outbox: gathers due notices into digests, renders and sends them, retries with backoff. */
export class DeliveryWorker {
  readonly health: DeliveryHealth = { consecutiveFailures: 0, failingSince: null, lastError: null, lastFailureAt: null, lastSuccessAt: null };
  private running: Promise<{ sent: number; failed: number }> | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly recipients: RecipientRepository,
    private readonly notifier: Notifier,
    private readonly settings: DeliverySettings,
    private readonly clock: Clock,
    private readonly domain: string,
    private readonly render: RenderOptions,
    private readonly log: Log,
  ) {}

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
    this.outbox.formDigests(this.clock(), this.settings.groupWindowMs, this.domain);
    for (const digest of this.outbox.dueDigests(this.clock())) {
      const recipient = this.recipients.get(digest.recipientId);
      const items = this.outbox.items(digest.id, this.settings.flapWindowMs);
      try {
        if (!recipient) throw new Error(`recipient ${digest.recipientId} no longer exists`);
        const rendered = renderNotice(items, recipient, this.render);
        await this.notifier.send({ to: { name: recipient.name, address: recipient.email }, ...rendered, messageId: digest.messageId, inReplyTo: digest.inReplyTo });
        this.outbox.markSent(digest.id, this.clock());
        Object.assign(this.health, { consecutiveFailures: 0, failingSince: null, lastSuccessAt: this.clock() });
        sent++;
      } catch (error) {
        const now = this.clock();
        const attempt = digest.attempts + 1;
        const reason = `${this.notifier.channel} to ${recipient?.email ?? digest.recipientId}: ${(error as Error).message}`;
        const retryAt = attempt >= this.settings.maxAttempts ? null : now + backoffMs(attempt, this.settings);
        this.outbox.markFailed(digest.id, reason, now, retryAt);
        Object.assign(this.health, { consecutiveFailures: this.health.consecutiveFailures + 1, failingSince: this.health.failingSince ?? now, lastError: reason, lastFailureAt: now });
        this.log.warn({ digest: digest.id, attempt, retryAt, err: (error as Error).message }, retryAt ? 'notification failed; will retry' : 'notification failed; giving up');
        failed++;
      }
    }
    return { sent, failed };
  }
}
