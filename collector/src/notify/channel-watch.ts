import type { Clock } from '@nines/shared';
import type { Recipient } from '../store/recipients.ts';
import type { ChannelSet } from './channel-set.ts';
import { channelStateNotice } from './notice.ts';
import { formatTime, catalogs } from './templates/render.ts';
import type { DeliveryHealth } from './worker.ts';

export interface ChannelWatchSettings {
  /** Failed sends in a row over one channel … */
  fallbackAfter: number;
  /** … over at least this long, before the consultant is told over his other contact points. */
  fallbackAfterTimeMs: number;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * When one channel keeps failing (Telegram refuses, the webhook is down), tells the consultant ONE time over his
 * contact points on the other channels that work ("Zustellung über telegram fällt aus"), and once more when it works
 * again. Sent directly, not through the outbox: it is about the outbox not draining. In memory, like DeliveryWatch
 * (which does the same for e-mail through the fallback SMTP server).
 */
export class ChannelWatch {
  /** Per failing channel kind: when the consultant was told. */
  readonly told = new Map<string, number>();

  constructor(
    private channels: ChannelSet,
    private readonly consultants: () => Promise<Recipient[]>,
    private readonly settings: ChannelWatchSettings,
    private readonly clock: Clock,
    private readonly domain: string,
    private readonly log: Log,
  ) {}

  useChannels(channels: ChannelSet): void {
    this.channels = channels;
  }

  async check(healthByChannel: ReadonlyMap<string, DeliveryHealth>): Promise<void> {
    const now = this.clock();
    for (const [kind, health] of healthByChannel) {
      const failing =
        health.consecutiveFailures >= this.settings.fallbackAfter && health.failingSince !== null && now - health.failingSince >= this.settings.fallbackAfterTimeMs;
      if (failing && !this.told.has(kind)) {
        if (await this.tell(kind, 'failing', health, healthByChannel, now)) this.told.set(kind, now);
      } else if (this.told.has(kind) && health.consecutiveFailures === 0 && health.lastSuccessAt !== null && health.lastSuccessAt >= this.told.get(kind)!) {
        if (await this.tell(kind, 'recovered', health, healthByChannel, now)) this.told.delete(kind);
      }
    }
  }

  /** Over every consultant contact point on another channel that is set up and not failing; true when one took it. */
  private async tell(kind: string, state: 'failing' | 'recovered', health: DeliveryHealth, all: ReadonlyMap<string, DeliveryHealth>, now: number): Promise<boolean> {
    const others = (await this.consultants()).filter(
      (r) => r.channel !== kind && this.channels.has(r.channel) && (all.get(r.channel)?.consecutiveFailures ?? 0) < this.settings.fallbackAfter,
    );
    if (others.length === 0) {
      if (state === 'failing') this.log.warn({ channel: kind }, 'a channel keeps failing, and the consultant has no working contact point on another channel to be told over');
      return state === 'failing';
    }
    let anySent = false;
    for (const recipient of others) {
      const catalog = catalogs[recipient.language];
      const values = {
        channel: this.channels.label(kind),
        since: health.failingSince === null ? '?' : formatTime(health.failingSince, catalog, recipient.timezone),
        at: formatTime(now, catalog, recipient.timezone),
        failures: String(health.consecutiveFailures),
        error: health.lastError ?? '?',
      };
      const { sender } = this.channels.sender(recipient.channel);
      try {
        await sender.send(channelStateNotice(recipient, state, values, now, this.domain), { id: recipient.id, label: recipient.name, target: recipient.target });
        anySent = true;
      } catch (error) {
        this.log.warn({ channel: recipient.channel, recipient: recipient.id, err: (error as Error).message }, `could not tell that ${kind} is ${state} over another contact point`);
      }
    }
    if (anySent) this.log.info({ channel: kind, state }, 'consultant told over another contact point');
    return anySent;
  }
}
