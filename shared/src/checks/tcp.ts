import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const TcpCheckSchema = checkSchema(
  'tcp',
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    latencyWarn: Type.Optional(DurationSchema),
    latencyCrit: Type.Optional(DurationSchema),
  },
  'TCP connect to host:port',
);
export type TcpCheckConfig = Static<typeof TcpCheckSchema>;
