import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const MemoryCheckSchema = checkSchema(
  'memory',
  {
    warnUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 90 })),
    critUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 95 })),
    warnSwapUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'WARN when more swap is used' })),
    critSwapUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'CRIT when more swap is used' })),
  },
  'memory in use (RAM not available to new programs, as the kernel reports it), optionally swap',
);
export type MemoryCheckConfig = Static<typeof MemoryCheckSchema>;
