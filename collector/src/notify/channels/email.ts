import { EmailTargetSchema, SmtpConfigSchema, type EmailTarget, type SmtpConfig } from '@nines/shared';
import { emailNotifier } from '../email.ts';
import type { ChannelDefinition } from './channel.ts';

/**
 * Email over SMTP (notify/email.ts). Its settings are the collector's `smtp:` section. A digest is one mail,
 * threaded under the incident's first mail by Message-ID / In-Reply-To.
 */
export const email: ChannelDefinition<typeof SmtpConfigSchema, typeof EmailTargetSchema> = {
  kind: 'email',
  label: 'E-Mail',
  settingsSchema: SmtpConfigSchema,
  targetSchema: EmailTargetSchema,
  address: (target: EmailTarget) => target.address.toLowerCase(),
  describe: (target: EmailTarget) => target.address,
  create(settings: SmtpConfig | undefined) {
    if (!settings) throw new Error('email needs the smtp: section');
    const notifier = emailNotifier(settings);
    return {
      async send(notice, to) {
        await notifier.send({
          to: { name: to.label, address: to.target.address },
          subject: notice.title,
          text: notice.text,
          html: notice.html,
          messageId: notice.messageId,
          inReplyTo: notice.inReplyTo,
        });
      },
      close: () => notifier.close(),
    };
  },
};
