/** Shapes of the /api/v1 responses that agent-independent tools (dashboard, scripts) rely on. */
import { Type, type Static } from '@sinclair/typebox';
import { StatusSchema } from './status.ts';

// Null first: Fastify's Ajv coerces types, and would turn a null into 0 or "" for an earlier branch.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([Type.Null(), t]);

/** Beside every result message: its code and params (shared/src/messages), for rendering per language; null from old agents. */
const MessageCode = {
  code: Type.Optional(Nullable(Type.String())),
  params: Type.Optional(Nullable(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])))),
};

export const CheckStatusSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  status: StatusSchema,
  message: Nullable(Type.String()),
  ...MessageCode,
  lastResultAt: Nullable(Type.Integer()),
  availability24h: Nullable(Type.Number({ description: 'UP / (UP + DOWN) over the last 24 h; null without data' })),
});

export const AgentStatusSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  client: Type.String(),
  clientId: Type.Integer(),
  hostname: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  agentVersion: Nullable(Type.String()),
  connected: Type.Boolean(),
  lastSeenAt: Nullable(Type.Integer()),
  lastSeq: Type.Integer(),
  storedResults: Type.Integer(),
  backlog: Type.Integer(),
  clockOffsetMs: Nullable(Type.Integer({ description: "agent clock minus collector clock at its last hello, ms" })),
  silent: Type.Optional(Type.Boolean({ description: 'not heard from for 3 heartbeats (≥ 90 s): its checks show UNKNOWN' })),
  silentSince: Type.Optional(Nullable(Type.Integer())),
  lostResults: Type.Optional(Type.Integer({ description: 'results the agent spool dropped (gaps); lastSeq = storedResults + lostResults when none are missing' })),
  revoked: Type.Boolean(),
  updateAvailable: Type.Optional(Nullable(Type.String({ description: 'the newer agent version the collector publishes for it (docs/install.md#upgrade); null when current' }))),
  checks: Type.Array(CheckStatusSchema),
});

export const StatusResponseSchema = Type.Object({ agents: Type.Array(AgentStatusSchema) });

export type CheckStatus = Static<typeof CheckStatusSchema>;
export type AgentStatus = Static<typeof AgentStatusSchema>;
export type StatusResponse = Static<typeof StatusResponseSchema>;

// ─── Dashboard, logins and management (issue 10) ──────────────────────────────────────────────

export const LanguageSchema = Type.Union([Type.Literal('de'), Type.Literal('en')]);
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('client')]);

export const LoginRequestSchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

/** GET /api/v1/session: who is logged in; csrfToken goes into the x-nines-csrf header of every change. */
export const MeSchema = Type.Object({
  username: Type.String(),
  role: RoleSchema,
  clientId: Nullable(Type.Integer()),
  language: Nullable(LanguageSchema),
  csrfToken: Nullable(Type.String({ description: 'null for API-token requests, which need no CSRF header' })),
});

const SlaTarget = Type.Number({ minimum: 0.5, maximum: 1, description: 'availability target as a fraction, e.g. 0.999' });
const ClientName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });

export const ClientSchema = Type.Object({ id: Type.Integer(), name: Type.String(), timezone: Type.String(), language: LanguageSchema, slaTarget: Type.Number() });
export const ClientCreateSchema = Type.Object(
  { name: ClientName, timezone: Type.Optional(TimeZone), language: Type.Optional(LanguageSchema), slaTarget: Type.Optional(SlaTarget) },
  { additionalProperties: false },
);
export const ClientUpdateSchema = Type.Partial(ClientCreateSchema, { additionalProperties: false });

export const StatusCountsSchema = Type.Object({ OK: Type.Integer(), WARN: Type.Integer(), CRIT: Type.Integer(), UNKNOWN: Type.Integer() });

/** One non-OK check, as the overview lists it under its client. */
export const ProblemSchema = Type.Object({
  agentId: Type.String(), agentName: Type.String(), checkId: Type.String(), checkName: Type.String(), kind: Type.String(),
  status: StatusSchema, message: Nullable(Type.String()), ...MessageCode, lastResultAt: Nullable(Type.Integer()),
});

/** The worst state and counts over a client's security checks (SECURITY_KINDS in ./security.ts); worst null without any. */
export const SecurityPostureSchema = Type.Object({ worst: Nullable(StatusSchema), counts: StatusCountsSchema });

/**
 * One cell of a host's heartbeat bar: one UTC hour (the running hour up to now), its state the worst the host was
 * in: DOWN (any downtime), else UNKNOWN (a part without data: no result, a gap, a silent agent, a failed probe),
 * else MAINTENANCE, else UP; NONE when nothing at all was measured (no data, grey). The ms say how much of each.
 */
export const HeartbeatCellSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  state: Type.Union([Type.Literal('UP'), Type.Literal('DOWN'), Type.Literal('UNKNOWN'), Type.Literal('MAINTENANCE'), Type.Literal('NONE')]),
  upMs: Type.Integer(), downMs: Type.Integer(), unknownMs: Type.Integer(), maintenanceMs: Type.Integer(),
});

/** A host's last 24 h as the overview shows it: as the host's availability counts it (its critical checks). */
export const HostBeatSchema = Type.Object({
  agentId: Type.String(),
  name: Type.String(),
  /** The labels of the host's checks, sorted. */
  labels: Type.Array(Type.String()),
  cells: Type.Array(HeartbeatCellSchema),
  /** UP / (UP + DOWN) over the cells in percent, rounded down to 3 places; null without data. */
  upPercent: Nullable(Type.String()),
  /** Cells with downtime. */
  downCells: Type.Integer(),
});

/** One overview row: everything that answers "is anything wrong at this client right now?". */
export const ClientSummarySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  slaTarget: Type.Number(),
  worst: Nullable(StatusSchema),
  counts: StatusCountsSchema,
  hosts: Type.Integer(),
  agentsSilent: Type.Integer({ description: 'non-revoked agents whose socket is closed' }),
  backupsOverdue: Type.Integer({ description: 'backup checks in WARN or CRIT' }),
  securityUpdates: Type.Integer({ description: 'hosts whose patch check reports security updates' }),
  rebootRequired: Type.Integer({ description: 'hosts whose patch check says a reboot is required' }),
  availabilityMonth: Nullable(Type.Number({ description: "UP / (UP + DOWN) this calendar month in the client's time zone; null without data" })),
  availabilityMonthPercent: Nullable(Type.String({ description: 'the same in percent, rounded down to 3 places ("99.912")' })),
  monthMet: Nullable(Type.Boolean({ description: 'target met so far this month (exact integer arithmetic); null without data' })),
  monthCoverage: Nullable(Type.Number({ description: 'measured share of the non-maintenance time this month so far; null for an empty window' })),
  monthPartialData: Nullable(Type.Boolean({ description: 'coverage below 90 %: the verdict rests on partial data; null without data' })),
  errorBudgetMonthMs: Nullable(Type.Integer({ description: "the whole month's error budget (its length less maintenance so far × (1 − target), check-weighted); null when not computed" })),
  errorBudgetSoFarMs: Nullable(Type.Integer({ description: 'pro rata: the budget for the part of the month elapsed so far; null when not computed' })),
  errorBudgetLeftMs: Nullable(Type.Integer({ description: "the month's error budget minus the downtime so far; negative when used up; null without data" })),
  openIncidents: Nullable(Type.Integer({ description: 'SLA-covered checks DOWN right now' })),
  security: SecurityPostureSchema,
  problems: Type.Array(ProblemSchema),
  /** Every label of the client's checks, sorted: what the overview's label filter offers. */
  labels: Type.Array(Type.String()),
  /**
   * Heartbeat bars of the last 24 h, worst first then by name. With `?client=` every host's (the client page); in the
   * list of all clients (and in a pushed row) only the OVERVIEW_BARS_PER_ROW worst hosts' and, per label, the
   * OVERVIEW_BARS_PER_ROW worst hosts' carrying it: what the overview draws, whatever the size of the client.
   */
  beats: Type.Array(HostBeatSchema),
  /** Every host's name (revoked ones aside), worst first as the bars: the text filter finds a host without its bar. */
  hostNames: Type.Array(Type.String()),
  /** Per label, how many hosts (revoked ones aside) carry it: the "+N hosts" under a label filter's bars. */
  labelHosts: Type.Record(Type.String(), Type.Integer()),
});
/** Hosts' bars an overview row draws (and the list carries) per client, and per label under a label filter. */
export const OVERVIEW_BARS_PER_ROW = 4;
export const OverviewResponseSchema = Type.Object({ generatedAt: Type.Integer(), clients: Type.Array(ClientSummarySchema) });

export const CheckDetailSchema = Type.Object({
  id: Type.String(), name: Type.String(), kind: Type.String(), status: StatusSchema, message: Nullable(Type.String()), ...MessageCode,
  lastResultAt: Nullable(Type.Integer()), availability24h: Nullable(Type.Number()), intervalMs: Type.Integer(),
  metrics: Type.Record(Type.String(), Type.Number()),
  /** The newest result's details (patch: the pending package list). */
  details: Type.Unknown(),
  /** Assigned by the collector (editable) or configured on the agent itself. */
  assigned: Type.Boolean(),
  labels: Type.Array(Type.String()),
});
export const AgentDetailSchema = Type.Object({
  agent: Type.Omit(AgentStatusSchema, ['checks']),
  configVersion: Type.Integer(),
  checks: Type.Array(CheckDetailSchema),
});

export const HistoryPointSchema = Type.Object({
  at: Type.Integer(), status: StatusSchema, message: Type.String(), ...MessageCode, metrics: Type.Record(Type.String(), Type.Number()),
});
/** A span of a check's availability state: UNKNOWN where no result covers the time (agent stopped, gap, probe failed). */
export const StateSpanSchema = Type.Object({
  from: Type.Integer(), to: Type.Integer(),
  state: Type.Union([Type.Literal('UP'), Type.Literal('DOWN'), Type.Literal('UNKNOWN'), Type.Literal('MAINTENANCE')]),
});
export const CheckHistorySchema = Type.Object({
  agentId: Type.String(), checkId: Type.String(), from: Type.Integer(), to: Type.Integer(),
  /** Oldest first; at most `limit` newest points of the range. */
  points: Type.Array(HistoryPointSchema),
  truncated: Type.Boolean(),
  /** The whole range as adjacent state spans, exactly as the availability figures count it (never truncated); neighbours always differ in state. */
  states: Type.Array(StateSpanSchema),
});
export const HistoryQuerySchema = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0 })), to: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
});

export const AgentPatchSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) }, { additionalProperties: false });

export const AssignedChecksSchema = Type.Object({ version: Type.Integer(), checks: Type.Array(Type.Unknown()), pushed: Type.Boolean() });

export const EnrollTokenCreateSchema = Type.Object(
  { clientId: Type.Integer(), ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })) },
  { additionalProperties: false },
);
export const EnrollTokenCreatedSchema = Type.Object({
  token: Type.String(), clientId: Type.Integer(), expiresAt: Type.Integer(),
  /** One-line install commands per OS, ready to copy. */
  commands: Type.Object({ linux: Type.String(), macos: Type.String(), windows: Type.String() }),
});

export const UserSchema = Type.Object({ id: Type.Integer(), username: Type.String(), role: RoleSchema, clientId: Nullable(Type.Integer()), language: Nullable(LanguageSchema) });
export const UserCreateSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' }),
    password: Type.String({ minLength: 12, maxLength: 1000 }),
    role: RoleSchema,
    clientId: Type.Optional(Nullable(Type.Integer())),
    language: Type.Optional(Nullable(LanguageSchema)),
  },
  { additionalProperties: false },
);

/**
 * What an API token may do, within what its user may do: read = GET only; write = also changes (hosts, checks,
 * clients, maintenance, alerts); admin = also users, API tokens and the log level. Tokens from before scopes are admin.
 */
export const ApiTokenScopeSchema = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);
export const ApiTokenSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), userId: Type.Integer(), username: Type.String(), createdAt: Type.Integer(), lastUsedAt: Nullable(Type.Integer()),
  scope: ApiTokenScopeSchema,
  expiresAt: Nullable(Type.Integer({ description: 'ms UTC; null = never' })),
});
export const ApiTokenCreateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }), userId: Type.Optional(Type.Integer()),
    scope: ApiTokenScopeSchema,
    expiresAt: Type.Optional(Nullable(Type.Integer({ minimum: 0, description: 'ms UTC, in the future; null or absent = never' }))),
  },
  { additionalProperties: false },
);
export const ApiTokenCreatedSchema = Type.Object({ id: Type.Integer(), name: Type.String(), scope: ApiTokenScopeSchema, expiresAt: Nullable(Type.Integer()), token: Type.String({ description: 'shown this once' }) });

/** One availability figure as the dashboard shows it (the full figure is at GET /api/v1/availability). */
export const FigureSummarySchema = Type.Object({
  window: Type.String({ description: '24h, 7d, 30d, or the current month as YYYY-MM' }),
  from: Type.Integer(), until: Type.Integer(),
  availability: Nullable(Type.Number()),
  availabilityPercent: Nullable(Type.String({ description: 'rounded down to 3 places' })),
  met: Nullable(Type.Boolean()),
  coverage: Nullable(Type.Number()),
  downMs: Type.Integer(),
  maintenanceMs: Type.Integer(),
  budgetRemainingMs: Type.Integer({ description: 'allowed downtime for the time measured minus downtime (the verdict margin); negative when missed' }),
  partialData: Nullable(Type.Boolean({ description: 'coverage below 90 %: the verdict rests on partial data; null without data' })),
  budgetWindowMs: Type.Integer({ description: "the whole window's error budget (for the month: the full month's, even while it runs), check-weighted" }),
  budgetSoFarMs: Type.Integer({ description: 'pro rata: the budget for the elapsed part of the window (equals budgetWindowMs for rolling windows)' }),
  budgetWindowLeftMs: Nullable(Type.Integer({ description: 'budgetWindowMs minus downtime; negative when used up; null without data' })),
});
const FigureSet = Type.Record(Type.String(), FigureSummarySchema, { description: 'keyed by window: 24h, 7d, 30d, month' });
/** GET /api/v1/clients/:id/availability: the client, each host and each check over 24 h / 7 d / 30 d / this month. */
export const ClientAvailabilitySchema = Type.Object({
  clientId: Type.Integer(),
  month: Type.String({ description: "the current calendar month in the client's time zone, YYYY-MM" }),
  targetPpm: Type.Integer(),
  client: FigureSet,
  hosts: Type.Array(Type.Object({ agentId: Type.String(), name: Type.String(), figures: FigureSet })),
  checks: Type.Array(Type.Object({ agentId: Type.String(), checkId: Type.String(), name: Type.String(), weight: Type.Integer(), figures: FigureSet })),
});

export type LoginRequest = Static<typeof LoginRequestSchema>;
export type Me = Static<typeof MeSchema>;
export type ClientInfo = Static<typeof ClientSchema>;
export type ClientCreate = Static<typeof ClientCreateSchema>;
export type ClientUpdate = Static<typeof ClientUpdateSchema>;
export type StatusCounts = Static<typeof StatusCountsSchema>;
export type Problem = Static<typeof ProblemSchema>;
export type SecurityPosture = Static<typeof SecurityPostureSchema>;
export type ClientSummary = Static<typeof ClientSummarySchema>;
export type HeartbeatCell = Static<typeof HeartbeatCellSchema>;
export type HostBeat = Static<typeof HostBeatSchema>;
export type OverviewResponse = Static<typeof OverviewResponseSchema>;
export type CheckDetail = Static<typeof CheckDetailSchema>;
export type AgentDetail = Static<typeof AgentDetailSchema>;
export type HistoryPoint = Static<typeof HistoryPointSchema>;
export type CheckHistory = Static<typeof CheckHistorySchema>;
export type StateSpan = Static<typeof StateSpanSchema>;
export type HistoryQuery = Static<typeof HistoryQuerySchema>;
export type AgentPatch = Static<typeof AgentPatchSchema>;
export type AssignedChecks = Static<typeof AssignedChecksSchema>;
export type EnrollTokenCreate = Static<typeof EnrollTokenCreateSchema>;
export type EnrollTokenCreated = Static<typeof EnrollTokenCreatedSchema>;
export type UserInfo = Static<typeof UserSchema>;
export type UserCreate = Static<typeof UserCreateSchema>;
export type ApiTokenInfo = Static<typeof ApiTokenSchema>;
export type ApiTokenScope = Static<typeof ApiTokenScopeSchema>;
export type ApiTokenCreate = Static<typeof ApiTokenCreateSchema>;
export type ApiTokenCreated = Static<typeof ApiTokenCreatedSchema>;
export type FigureSummary = Static<typeof FigureSummarySchema>;
export type ClientAvailability = Static<typeof ClientAvailabilitySchema>;
