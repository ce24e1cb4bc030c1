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
    smtp: Type.Optional(SmtpConfigSchema),
    alerting: Type.Optional(AlertingConfigSchema),
  },
  { additionalProperties: true },
);
export type CollectorConfig = Static<typeof CollectorConfigSchema>;
