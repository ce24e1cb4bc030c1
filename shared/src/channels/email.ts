/** Email contact points. The SMTP server is the collector's `smtp:` section (alerting.ts SmtpConfigSchema). */
import { Type, type Static } from '@sinclair/typebox';

export const EmailTargetSchema = Type.Object(
  { address: Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254, description: 'e-mail address' }) },
  { additionalProperties: false },
);
export type EmailTarget = Static<typeof EmailTargetSchema>;
