import type { ChannelsConfig, SmtpConfig } from '@nines/shared';
import type { ChannelDefinition, ChannelDeps, ChannelSender } from './channels/channel.ts';
import { ChannelError } from './channels/channel.ts';
import { channelDefinitions } from './channels/registry.ts';

/** A channel as this collector runs it: its sender, or why it cannot send. */
export interface LiveChannel {
  definition: ChannelDefinition;
  sender: ChannelSender<unknown> | null;
  /** Why there is no sender (settings missing or wrong); null when there is one. */
  problem: string | null;
}

/**
 * The channels this collector can send over, built once at start from the `smtp:` and `channels:` sections. A
 * channel whose settings are missing has no sender and a plain reason; a contact point on it fails permanently
 * with that reason rather than retrying forever.
 */
export class ChannelSet {
  private readonly live = new Map<string, LiveChannel>();

  constructor(
    config: { smtp?: SmtpConfig; channels?: ChannelsConfig },
    deps: ChannelDeps,
    /** Senders to use instead of building them (tests of failure paths). */
    overrides: Partial<Record<string, ChannelSender<unknown>>> = {},
  ) {
    for (const definition of channelDefinitions) {
      const override = overrides[definition.kind];
      if (override) {
        this.live.set(definition.kind, { definition, sender: override, problem: null });
        continue;
      }
      const settings = definition.kind === 'email' ? config.smtp : (config.channels as Record<string, unknown> | undefined)?.[definition.kind];
      try {
        this.live.set(definition.kind, { definition, sender: definition.create(settings as never, deps) as ChannelSender<unknown>, problem: null });
      } catch (error) {
        this.live.set(definition.kind, { definition, sender: null, problem: `${definition.kind} is not set up: ${(error as Error).message}` });
      }
    }
  }

  /** Every channel kind, with whether it can send. */
  list(): LiveChannel[] {
    return [...this.live.values()];
  }

  /** True when at least one channel can send. */
  get any(): boolean {
    return this.list().some((c) => c.sender !== null);
  }

  /** The channel's name for people ("Telegram"); the kind itself when unknown. */
  label(kind: string): string {
    return this.live.get(kind)?.definition.label ?? kind;
  }

  has(kind: string): boolean {
    return this.live.get(kind)?.sender != null;
  }

  /** The channel's sender; a permanent ChannelError saying why when it has none. */
  sender(kind: string): { definition: ChannelDefinition; sender: ChannelSender<unknown> } {
    const channel = this.live.get(kind);
    if (!channel) throw new ChannelError(`unknown channel "${kind}"`, 'permanent');
    if (!channel.sender) throw new ChannelError(channel.problem ?? `${kind} is not set up`, 'permanent');
    return { definition: channel.definition, sender: channel.sender };
  }

  close(): void {
    for (const channel of this.live.values()) channel.sender?.close();
  }
}
