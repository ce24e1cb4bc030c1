import type { Clock } from '@nines/shared';
import type { Store } from '../../store/store.ts';
import type { Notifier } from '../../notify/notifier.ts';
import type { Lang } from '../messages.ts';
import { localTimeSchedule, type Weekday } from '../../schedule/rule.ts';
import type { Job } from '../../schedule/scheduler.ts';
import { gatherOverview } from './gather.ts';
import { renderOverview } from './render.ts';

export const WEEKLY_OVERVIEW_JOB = 'weekly-overview';
/**
 * A missed or failing overview is still sent for six days — not on the last day before the next one, so a collector
 * started on a Monday at 06:59 does not send last week's overview a minute before this week's.
 */
export const WEEKLY_LOOK_BACK_MS = 6 * 86_400_000;

export interface WeeklyOverviewOptions {
  store: Store;
  clock: Clock;
  /** The e-mail channel (notify/email.ts). */
  email: Notifier;
  /** Message-IDs are made under the sender's domain. */
  senderDomain: string;
  publicUrl: string | null;
  brand: string;
  weekday: Weekday;
  at: string;
  timezone: string;
  language: Lang;
}

/**
 * The consultant's Monday overview as a scheduled job: one mail to each enabled e-mail contact point of the
 * consultant (no client, technical audience). Sent in the configured language; the Message-ID is fixed per slot
 * and contact point, so a retried slot sends the same message (a mail server that saw it may drop the repeat).
 */
export function weeklyOverviewJob(options: WeeklyOverviewOptions): Job {
  const delivered = new Map<number, Set<number>>();
  return {
    name: WEEKLY_OVERVIEW_JOB,
    schedule: localTimeSchedule({ at: options.at, timezone: options.timezone, weekday: options.weekday }),
    lookBackMs: WEEKLY_LOOK_BACK_MS,
    async run(slotMs) {
      // A retry after a partly failed run skips the mailboxes that already have this slot's overview (in this
      // process; after a restart they may get it twice — with the same Message-ID, fixed per slot and contact point).
      const done = delivered.get(slotMs) ?? new Set<number>();
      delivered.clear();
      delivered.set(slotMs, done);
      await sendOverview(options, options.clock(), (recipientId) => `<weekly-overview.${slotMs}.${recipientId}@${options.senderDomain}>`, done);
    },
  };
}

/**
 * Gathers the overview at `at` and mails it to each consultant mailbox not in `done` (adding each it reaches);
 * returns how many were sent.
 */
export async function sendOverview(
  options: Pick<WeeklyOverviewOptions, 'store' | 'email' | 'publicUrl' | 'brand' | 'timezone' | 'language'>,
  at: number,
  messageIdOf: (recipientId: number) => string,
  done = new Set<number>(),
): Promise<number> {
  const recipients = await consultantMailboxes(options.store);
  if (recipients.length === 0) throw new Error('no consultant e-mail contact point (an enabled recipient without client, audience technical, channel email)');
  const mail = renderOverview(await gatherOverview(options.store, at), { lang: options.language, timeZone: options.timezone, publicUrl: options.publicUrl, brand: options.brand });
  let sent = 0;
  for (const r of recipients) {
    if (done.has(r.id)) continue;
    await options.email.send({ to: { name: r.name, address: r.address }, subject: mail.subject, text: mail.text, html: mail.html, messageId: messageIdOf(r.id), inReplyTo: null });
    done.add(r.id);
    sent++;
  }
  return sent;
}

/** Who gets the overview: the consultant's enabled technical e-mail contact points. */
export async function consultantMailboxes(store: Pick<Store, 'recipients'>) {
  return (await store.recipients.list()).filter((r) => r.enabled && r.clientId === null && r.audience === 'technical' && r.channel === 'email');
}
