import type { Clock } from '@nines/shared';
import type { Recipient } from '../store/recipients.ts';
import type { Notifier } from './notifier.ts';
import type { DeliveryHealth } from './worker.ts';
import { catalogs, formatTime } from './templates/render.ts';

export interface DeliveryWatchSettings {
  /** Failed sends in a row … */
  fallbackAfter: number;
  /** … over at least this long, before the consultant is told through the fallback server. */
  fallbackAfterTimeMs: number;
}

export interface DeliveryWatchState {
  /** When the "cannot deliver" notice went out through the fallback; null when none is standing. */
  noticeSentAt: number | null;
  lastError: string | null;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Watches the watcher: when the primary SMTP keeps failing, tells the consultant recipients ONE time through a
 * second SMTP server/account ("Nines cannot deliver alert emails"), and once more when mail flows again. Nothing
 * else ever goes through the fallback, so a misconfigured primary cannot hide behind it. The state is in memory:
 * after a restart the primary's failures are counted afresh, and at worst one notice repeats.
 */
export class DeliveryWatch {
  readonly state: DeliveryWatchState = { noticeSentAt: null, lastError: null };
  private sequence = 0;

  constructor(
    private readonly fallback: Notifier,
    private readonly consultants: () => Promise<Recipient[]>,
    private readonly settings: DeliveryWatchSettings,
    private readonly clock: Clock,
    private readonly domain: string,
    private readonly log: Log,
  ) {}

  /** Compares the primary's health with what was told; sends the failing or recovered notice when due. */
  async check(health: DeliveryHealth, pending: number): Promise<void> {
    const now = this.clock();
    const failing =
      health.consecutiveFailures >= this.settings.fallbackAfter && health.failingSince !== null && now - health.failingSince >= this.settings.fallbackAfterTimeMs;
    if (failing && this.state.noticeSentAt === null) {
      if (await this.tell('failing', health, pending, now)) this.state.noticeSentAt = now;
    } else if (this.state.noticeSentAt !== null && health.consecutiveFailures === 0 && health.lastSuccessAt !== null && health.lastSuccessAt >= this.state.noticeSentAt) {
      if (await this.tell('recovered', health, pending, now)) this.state.noticeSentAt = null;
    }
  }

  /** Sends to every consultant recipient; true when all accepted it (otherwise it is tried again on the next check). */
  private async tell(kind: 'failing' | 'recovered', health: DeliveryHealth, pending: number, now: number): Promise<boolean> {
    const recipients = await this.consultants();
    if (recipients.length === 0) {
      this.log.warn({}, 'alert mail is failing, but there is no consultant recipient (without client) to tell through the fallback SMTP');
      return true;
    }
    let allSent = true;
    for (const recipient of recipients) {
      const c = catalogs[recipient.language].delivery;
      const values: Record<string, string> = {
        name: recipient.name,
        since: health.failingSince === null ? '?' : formatTime(health.failingSince, catalogs[recipient.language], recipient.timezone),
        at: formatTime(now, catalogs[recipient.language], recipient.timezone),
        failures: String(health.consecutiveFailures),
        error: health.lastError ?? '?',
        pending: String(pending),
      };
      const fill = (template: string) => template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
      const text = c[kind].body.map(fill).join('\n\n');
      try {
        await this.fallback.send({
          to: { name: recipient.name, address: recipient.address },
          subject: fill(c[kind].subject),
          text,
          html: `<!doctype html>\n<html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">${text
            .split('\n\n')
            .map((p) => `<p>${p.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)}</p>`)
            .join('\n')}</body></html>\n`,
          messageId: `<nines.delivery-${kind}.${now}.${++this.sequence}.${recipient.id}@${this.domain}>`,
          inReplyTo: null,
        });
        this.state.lastError = null;
      } catch (error) {
        allSent = false;
        this.state.lastError = (error as Error).message;
        this.log.warn({ err: (error as Error).message, recipient: recipient.id }, `fallback SMTP could not send the delivery-${kind} notice; trying again on the next tick`);
      }
    }
    if (allSent) this.log.info({ recipients: recipients.length }, `delivery-${kind} notice sent through the fallback SMTP`);
    return allSent;
  }
}
