/** Configuration files (YAML) of the agent and the collector. */
import { Type, type Static } from '@sinclair/typebox';
import { CheckConfigSchema } from './checks/index.ts';
import { AlertingConfigSchema, SmtpConfigSchema } from './alerting.ts';
import { ChannelsConfigSchema } from './channels/config.ts';
import { ReportsConfigSchema } from './reports.ts';

export const AgentConfigSchema = Type.Object(
  {
    checks: Type.Optional(Type.Array(CheckConfigSchema, { description: 'local checks, beside those the collector assigns' })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 4 })),
    allowPrograms: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), {
        maxItems: 256,
        description: 'programs (exact paths as the check names them) that checks assigned by the collector may run; default none',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AgentConfig = Static<typeof AgentConfigSchema>;

/** Per-agent ingest quota (docs/delivery.md); the defaults (200 checks, 60,000 results and 32 MiB a minute) are far above a real machine, replay included. */
export const IngestConfigSchema = Type.Object(
  {
    maxChecksPerAgent: Type.Optional(Type.Integer({ minimum: 1, description: 'distinct check ids one agent may have (default 200)' })),
    maxResultsPerMinute: Type.Optional(Type.Integer({ minimum: 1, description: 'results one agent may send a minute (default 60000)' })),
    maxBytesPerMinute: Type.Optional(Type.Integer({ minimum: 1024, description: 'bytes of results frames one agent may send a minute (default 32 MiB)' })),
  },
  { additionalProperties: false },
);

/** Agent upgrades (docs/install.md#upgrade): the collector always tells agents of a newer build; installing it is up to them unless automatic. */
export const UpgradeConfigSchema = Type.Object(
  {
    automatic: Type.Optional(Type.Boolean({ default: false, description: 'agents install a newer published build by themselves (default false: only `nines-agent upgrade` does)' })),
  },
  { additionalProperties: false },
);
export type UpgradeConfig = Static<typeof UpgradeConfigSchema>;

export const CollectorConfigSchema = Type.Object(
  {
    host: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    dataDir: Type.Optional(Type.String()),
    databaseUrl: Type.Optional(Type.String({
      pattern: '^postgres(ql)?://', description: 'PostgreSQL database (postgres://user:password@host:port/db) instead of SQLite in dataDir; see docs/scale.md',
    })),
    logLevel: Type.Optional(Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))),
    publicUrl: Type.Optional(Type.String({ description: 'URL agents and emails use to reach the collector' })),
    downloadsDir: Type.Optional(Type.String({
      minLength: 1, description: 'directory served at /download/ (agent executables, WinSW, SHA256SUMS); default agent/dist/exe, where `npm run build` writes them',
    })),
    retention: Type.Optional(
      Type.Object(
        {
          rawDays: Type.Optional(Type.Integer({ minimum: 0, description: 'days raw results are kept; 0 = forever (default 90)' })),
          hourlyDays: Type.Optional(Type.Integer({ minimum: 0, description: 'days hourly rollups are kept; 0 = forever (default 400)' })),
        },
        { additionalProperties: false },
      ),
    ),
    trustedProxies: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 100, description: 'reverse proxies (IP addresses or CIDRs) whose X-Forwarded-For is believed; default none',
    })),
    requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'a request (headers and body) must arrive whole within this; default 30000' })),
    idleTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'an idle connection is closed after this; default 75000' })),
    smtp: Type.Optional(SmtpConfigSchema),
    channels: Type.Optional(ChannelsConfigSchema),
    reports: Type.Optional(ReportsConfigSchema),
    alerting: Type.Optional(AlertingConfigSchema),
    ingest: Type.Optional(IngestConfigSchema),
    upgrade: Type.Optional(UpgradeConfigSchema),
  },
  // A misspelt key (`smpt:`, `rawdays:`) would otherwise be accepted and silently do nothing.
  { additionalProperties: false },
);
export type CollectorConfig = Static<typeof CollectorConfigSchema>;
