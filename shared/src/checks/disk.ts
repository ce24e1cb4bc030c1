import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const DiskCheckSchema = checkSchema(
  'disk',
  {
    path: Type.String({ minLength: 1, description: 'a path on the file system to watch, e.g. / or C:\\' }),
    warnUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 80 })),
    critUsedPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 90 })),
    warnFreeBytes: Type.Optional(Type.Integer({ minimum: 0, description: 'WARN when less is free' })),
    critFreeBytes: Type.Optional(Type.Integer({ minimum: 0, description: 'CRIT when less is free' })),
  },
  'free space on the file system holding a path',
);
export type DiskCheckConfig = Static<typeof DiskCheckSchema>;
