import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const PingCheckSchema = checkSchema(
  'ping',
  {
    host: Type.String({ minLength: 1, pattern: '^[^-\\s]', description: 'host name or IP address' }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 3, description: 'echo requests to send' })),
    rttWarn: Type.Optional(DurationSchema),
    rttCrit: Type.Optional(DurationSchema),
    lossWarnPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 20 })),
    lossCritPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 60 })),
  },
  'ICMP echo via the system ping: packet loss and average round-trip time',
);
export type PingCheckConfig = Static<typeof PingCheckSchema>;
