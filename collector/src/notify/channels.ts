import type { SmtpConfig } from '@nines/shared';
import type { Notifier } from './notifier.ts';
import { emailNotifier } from './email.ts';

export interface ChannelSettings {
  email: SmtpConfig;
}
export type Channel = keyof ChannelSettings;

/** One line per channel: a missing factory is a type error. */
export const channels = {
  email: emailNotifier,
} satisfies { [C in Channel]: (settings: ChannelSettings[C]) => Notifier };
