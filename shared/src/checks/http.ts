import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const HttpCheckSchema = checkSchema(
  'http',
  {
    url: Type.String({ pattern: '^https?://', description: 'http:// or https:// URL' }),
    method: Type.Optional(
      Type.Union(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'].map((m) => Type.Literal(m)), { default: 'GET' }),
    ),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.String({ maxLength: 65536 })),
    expectStatus: Type.Optional(
      Type.Array(Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.String({ pattern: '^[1-5]xx$' })]), {
        minItems: 1,
        description: 'accepted status codes, e.g. [200, 204] or ["2xx", "3xx"]; default 2xx and 3xx',
      }),
    ),
    keyword: Type.Optional(Type.String({ minLength: 1, description: 'text the body must contain' })),
    keywordAbsent: Type.Optional(Type.String({ minLength: 1, description: 'text the body must not contain' })),
    latencyWarn: Type.Optional(DurationSchema),
    latencyCrit: Type.Optional(DurationSchema),
  },
  'HTTP(S) request with status, keyword and latency expectations',
);
export type HttpCheckConfig = Static<typeof HttpCheckSchema>;
