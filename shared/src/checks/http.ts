import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const DEFAULT_MAX_REDIRECTS = 5; // enough for http→https→www→/de/ chains; loops stop here
export const DEFAULT_CERT_WARN_DAYS = 21; // three weeks: time to renew by hand even over a holiday
export const DEFAULT_CERT_CRIT_DAYS = 7; // browsers start warning visitors soon after

export const HttpAuthSchema = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('basic'), username: Type.String(), password: Type.String() },
      { additionalProperties: false },
    ),
    Type.Object({ type: Type.Literal('bearer'), token: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { description: '{type: basic, username, password} or {type: bearer, token}' },
);
export type HttpAuth = Static<typeof HttpAuthSchema>;

/** Certificate expiry thresholds, shared by the http and tls kinds. */
export const certThresholdProperties = {
  certWarnDays: Type.Optional(
    Type.Number({ minimum: 0, default: DEFAULT_CERT_WARN_DAYS, description: 'WARN when the certificate expires within this many days' }),
  ),
  certCritDays: Type.Optional(
    Type.Number({ minimum: 0, default: DEFAULT_CERT_CRIT_DAYS, description: 'CRIT when the certificate expires within this many days' }),
  ),
  caFile: Type.Optional(
    Type.String({ minLength: 1, description: 'PEM file with extra CA certificates to trust (an internal CA), beside the system ones' }),
  ),
};

export const HttpCheckSchema = checkSchema(
  'http',
  {
    url: Type.String({ pattern: '^https?://', description: 'http:// or https:// URL' }),
    method: Type.Optional(
      Type.Union(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'].map((m) => Type.Literal(m)), { default: 'GET' }),
    ),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.String({ maxLength: 65536 })),
    auth: Type.Optional(HttpAuthSchema),
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
    maxRedirects: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 20,
        default: DEFAULT_MAX_REDIRECTS,
        description: 'redirects to follow; 0 judges the first answer itself (a 301 is then a 3xx status)',
      }),
    ),
    ignoreTls: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'accept any certificate (self-signed, expired, wrong name); its expiry is still measured, not graded',
      }),
    ),
    ...certThresholdProperties,
  },
  'HTTP(S) request: status codes, keyword present/absent, latency, redirects, auth, and the TLS certificate expiry of the same connection',
);
export type HttpCheckConfig = Static<typeof HttpCheckSchema>;
