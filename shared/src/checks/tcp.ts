import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const TcpCheckSchema = checkSchema(
  'tcp',
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    send: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: 'text to send after connecting, e.g. "QUIT\\r\\n"' }),
    ),
    expectBanner: Type.Optional(
      Type.String({ minLength: 1, description: 'text the server must send (within the timeout), e.g. "SSH-2.0" or "220 "' }),
    ),
    latencyWarn: Type.Optional(DurationSchema),
    latencyCrit: Type.Optional(DurationSchema),
  },
  'TCP connect to host:port, optionally sending a line and expecting a banner',
);
export type TcpCheckConfig = Static<typeof TcpCheckSchema>;
