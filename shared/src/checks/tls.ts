import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { certThresholdProperties } from './http.ts';

export const TlsCheckSchema = checkSchema(
  'tls',
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    servername: Type.Optional(Type.String({ minLength: 1, description: 'name to ask for (SNI) and verify; default host' })),
    starttls: Type.Optional(
      Type.Literal('smtp', { description: 'speak SMTP first and upgrade with STARTTLS (port 25/587)' }),
    ),
    ...certThresholdProperties,
  },
  'TLS certificate of any host:port (also SMTP STARTTLS): chain validity, name and days until expiry',
);
export type TlsCheckConfig = Static<typeof TlsCheckSchema>;
