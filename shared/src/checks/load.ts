import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const LoadCheckSchema = checkSchema(
  'load',
  {
    warnPerCpu: Type.Optional(Type.Number({ minimum: 0, default: 2, description: 'WARN when the 5-minute load per CPU exceeds this' })),
    critPerCpu: Type.Optional(Type.Number({ minimum: 0, default: 4, description: 'CRIT when the 5-minute load per CPU exceeds this' })),
  },
  'system load average (1/5/15 min) per CPU, graded on the 5-minute value; Linux and macOS',
);
export type LoadCheckConfig = Static<typeof LoadCheckSchema>;
