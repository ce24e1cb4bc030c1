import nodemailer from 'nodemailer';
import { parseDuration, type SmtpConfig } from '@nines/shared';
import type { Notifier, OutgoingMessage } from './notifier.ts';

const DEFAULT_TIMEOUT_MS = 30_000; // a hung SMTP server must not stall delivery; the retry backoff takes over

/** Email over SMTP with nodemailer: TLS from the start (secure) or STARTTLS when offered (requireTls to insist), optional auth. */
export function emailNotifier(smtp: SmtpConfig): Notifier {
  const timeout = smtp.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(smtp.timeout);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port ?? (smtp.secure ? 465 : 587),
    secure: smtp.secure ?? false,
    requireTLS: smtp.requireTls ?? false,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized ?? true },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    channel: 'email',
    async send(message: OutgoingMessage) {
      await transport.sendMail({
        from: smtp.from,
        to: { name: message.to.name, address: message.to.address },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: [message.inReplyTo] } : {}),
        ...(message.attachments?.length ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}

/** The domain part of the sender address: Message-IDs are made under it. */
export function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'nines.invalid';
}
