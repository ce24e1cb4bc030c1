/** Configuration files (YAML) of the agent and the collector. */
import { Type, type Static } from '@sinclair/typebox';
import { CheckConfigSchema } from './checks/index.ts';
import { AlertingConfigSchema, SmtpConfigSchema } from './alerting.ts';

export const AgentConfigSchema = Type.Object(
  {
    checks: Type.Optional(Type.Array(CheckConfigSchema, { description: 'local checks, beside those the collector assigns' })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 4 })),
  },
  { additionalProperties: false },
);
export type AgentConfig = Static<typeof AgentConfigSchema>;

export const CollectorConfigSchema = Type.Object(
  {
    host: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    dataDir: Type.Optional(Type.String()),
    logLevel: Type.Optional(Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))),
    publicUrl: Type.Optional(Type.String({ description: 'URL agents and emails use to reach the collector' })),
    trustedProxies: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 100, description: 'reverse proxies (IP addresses or CIDRs) whose X-Forwarded-For is believed; default none',
    })),
    requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'a request (headers and body) must arrive whole within this; default 30000' })),
    idleTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'an idle connection is closed after this; default 75000' })),
    smtp: Type.Optional(SmtpConfigSchema),
    alerting: Type.Optional(AlertingConfigSchema),
  },
  { additionalProperties: true },
);
export type CollectorConfig = Static<typeof CollectorConfigSchema>;
