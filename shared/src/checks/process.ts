import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const ProcessCheckSchema = checkSchema(
  'process',
  {
    match: Type.String({
      minLength: 1,
      description: 'with matchOn name (default): the exact process name, e.g. postgres or sqlservr.exe; with commandLine: a regular expression',
    }),
    matchOn: Type.Optional(
      Type.Union([Type.Literal('name'), Type.Literal('commandLine')], { default: 'name', description: 'name or commandLine' }),
    ),
    minCount: Type.Optional(Type.Integer({ minimum: 0, default: 1, description: 'CRIT when fewer match' })),
    maxCount: Type.Optional(Type.Integer({ minimum: 0, description: 'CRIT when more match (0: must not run)' })),
  },
  'processes present by exact name or command-line pattern, counted against min/max',
);
export type ProcessCheckConfig = Static<typeof ProcessCheckSchema>;
