/**
 * The agent ⇄ collector wire protocol: JSON text frames over WebSocket at /ws/agent.
 * One schema per message; the collector validates every frame against these.
 * Version history: 1 — first version; results gained the optional `intervalMs` (collectors fall back to the
 * check's stored interval without it) and `code` + `params` (optional, so older agents still fit).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StatusSchema } from './status.ts';
import { CheckConfigSchema, CHECK_ID_PATTERN, LabelsSchema } from './checks/index.ts';
import { RESULT_CODE_PATTERN, ResultParamsSchema } from './messages/schema.ts';

export const PROTOCOL_VERSION = 1;
export const AGENT_WS_PATH = '/ws/agent';
export const LIVE_WS_PATH = '/ws/live';

export const LIMITS = {
  maxFrameBytes: 1024 * 1024, // 1 MiB: a full 500-result batch with messages fits with room to spare
  maxBatch: 500, // results per frame; bigger replays are split by the agent
  maxMessageChars: 2000, // a check's human message; longer output belongs in details
  heartbeatMs: 30_000, // ws ping interval both ways
} as const;

/** WebSocket close codes the collector uses, so agents and logs can tell why. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003, // binary frame
  POLICY: 1008,
  TOO_BIG: 1009,
  MALFORMED: 4400, // not JSON, or not a valid message
  UNAUTHORIZED: 4401,
  REVOKED: 4403,
  PROTOCOL: 4409, // valid message at the wrong time (e.g. results before hello)
  REPLACED: 4410, // the same agent connected again
  REFUSED: 4422, // results the collector will never accept (poison details, implausible times): the agent drops them into a gap
  QUOTA: 4429, // the agent is over its per-minute or distinct-check quota: nothing of the frame is stored; it retries later
} as const;

const Seq = Type.Integer({ minimum: 1 });
/** The longest interval a result may claim: a week (a weekly backup check); beyond it a result would cover fortnights. */
export const MAX_RESULT_INTERVAL_MS = 7 * 24 * 3_600_000;
const EpochMs = Type.Integer({ minimum: 0 });
/**
 * No real result is older than this: a time before 2020 is an unset clock (0) or seconds taken for milliseconds.
 * Checked by the collector, not the schema, so that schema tests may use small clock values.
 */
export const MIN_PLAUSIBLE_TIME_MS = Date.UTC(2020, 0, 1);

/**
 * Bounds of a result's `details`, in the schema so a poison result is refused at validation (before, a value nested
 * 5,000 deep passed, threw inside the insert transaction and the agent retried that batch forever). Real details
 * (a backup's snapshot, a pending package list) are 3 levels deep with at most a few thousand entries.
 */
/** maxDepth: levels of nested objects/arrays. */
export const DETAILS_LIMITS = { maxDepth: 8, maxItems: 5_000, maxKeys: 200, maxStringChars: 4_000 } as const;

/** A JSON value at most `depth` levels deep; unrolled because JSON Schema cannot count recursion. */
function boundedJson(depth: number): TSchema {
  const leaf = [Type.Null(), Type.Boolean(), Type.Number(), Type.String({ maxLength: DETAILS_LIMITS.maxStringChars })];
  if (depth === 0) return Type.Union(leaf);
  const inner = boundedJson(depth - 1);
  return Type.Union([
    ...leaf,
    Type.Array(inner, { maxItems: DETAILS_LIMITS.maxItems }),
    Type.Record(Type.String({ maxLength: 200 }), inner, { maxProperties: DETAILS_LIMITS.maxKeys }),
  ]);
}
const DetailsSchema = Type.Unsafe<unknown>({ ...boundedJson(DETAILS_LIMITS.maxDepth), description: 'structured extras, e.g. a pending package list' });
const MetricName = '^[a-z][a-z0-9_]{0,63}$';

export const ResultSchema = Type.Object(
  {
    seq: Seq,
    checkId: Type.String({ pattern: CHECK_ID_PATTERN }),
    kind: Type.String({ minLength: 1, maxLength: 32 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    /** The check's labels as its config says now (older agents omit it, and the stored labels stay). */
    labels: Type.Optional(LabelsSchema),
    status: StatusSchema,
    message: Type.String({ maxLength: LIMITS.maxMessageChars }),
    metrics: Type.Record(Type.String({ pattern: MetricName }), Type.Number()),
    details: Type.Optional(DetailsSchema),
    code: Type.Optional(Type.String({ pattern: RESULT_CODE_PATTERN, description: 'language-neutral message code, see messages/codes.ts' })),
    params: Type.Optional(ResultParamsSchema),
    startedAt: EpochMs,
    finishedAt: EpochMs,
    intervalMs: Type.Optional(
      Type.Integer({
        minimum: 1_000,
        maximum: MAX_RESULT_INTERVAL_MS,
        description: 'the interval the check ran at when it made this result: the result covers at most 2 × this (agents before protocol 1.1 omit it)',
      }),
    ),
  },
  { additionalProperties: false, $id: 'Result' },
);
export type Result = Static<typeof ResultSchema>;
/** A result before the spool gives it its seq. */
export type UnsequencedResult = Omit<Result, 'seq'>;

export const HelloSchema = Type.Object(
  {
    type: Type.Literal('hello'),
    protocol: Type.Integer({ minimum: 1 }),
    agentVersion: Type.String({ maxLength: 64 }),
    hostname: Type.String({ maxLength: 255 }),
    platform: Type.String({ maxLength: 32 }),
    bootId: Type.String({ maxLength: 64 }),
    sentAt: EpochMs,
    lastSeq: Type.Integer({ minimum: 0, description: 'highest seq the agent has assigned' }),
    backlog: Type.Integer({ minimum: 0, description: 'spooled results not yet acknowledged' }),
    configVersion: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const ResultsSchema = Type.Object(
  {
    type: Type.Literal('results'),
    batch: Type.Array(ResultSchema, { minItems: 1, maxItems: LIMITS.maxBatch }),
    backlog: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** The spool dropped results it could not keep; the collector marks the span UNKNOWN. */
export const GapSchema = Type.Object(
  {
    type: Type.Literal('gap'),
    fromSeq: Seq,
    toSeq: Seq,
    from: EpochMs,
    to: EpochMs,
    reason: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const WelcomeSchema = Type.Object(
  {
    type: Type.Literal('welcome'),
    protocol: Type.Integer({ minimum: 1 }),
    agentId: Type.String(),
    serverTime: EpochMs,
    lastStoredSeq: Type.Integer({ minimum: 0 }),
    configVersion: Type.Integer({ minimum: 0 }),
    limits: Type.Object({ maxFrameBytes: Type.Integer(), maxBatch: Type.Integer() }),
  },
  { additionalProperties: false },
);

export const AckSchema = Type.Object(
  { type: Type.Literal('ack'), upTo: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const ConfigMessageSchema = Type.Object(
  { type: Type.Literal('config'), version: Type.Integer({ minimum: 0 }), checks: Type.Array(CheckConfigSchema) },
  { additionalProperties: false },
);

export const ErrorMessageSchema = Type.Object(
  {
    type: Type.Literal('error'), code: Type.String(), message: Type.String(),
    seq: Type.Optional(Type.Integer({ minimum: 1, description: 'the refused result, when one result is the reason' })),
  },
  { additionalProperties: false },
);

/** One published agent build, as SHA256SUMS lists it; platform and arch are Node's names (linux/win32/darwin, x64/arm64). */
export const UpdateFileSchema = Type.Object(
  {
    platform: Type.String({ maxLength: 32 }),
    arch: Type.String({ maxLength: 32 }),
    name: Type.String({ maxLength: 128, description: 'file name under /download/' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);

/**
 * The collector publishes a newer agent build than the one that said hello (sent after the welcome; an agent from
 * before upgrades existed logs it as an invalid message and carries on). `automatic`: the consultant
 * turned automatic upgrades on, so the agent starts `nines-agent upgrade` by itself.
 */
export const UpdateMessageSchema = Type.Object(
  {
    type: Type.Literal('update'),
    version: Type.String({ minLength: 1, maxLength: 64 }),
    automatic: Type.Boolean(),
    files: Type.Array(UpdateFileSchema, { maxItems: 32 }),
  },
  { additionalProperties: false },
);

export const AgentMessageSchema = Type.Union([HelloSchema, ResultsSchema, GapSchema]);
export const CollectorMessageSchema = Type.Union([WelcomeSchema, AckSchema, ConfigMessageSchema, ErrorMessageSchema, UpdateMessageSchema]);

export type Hello = Static<typeof HelloSchema>;
export type Results = Static<typeof ResultsSchema>;
export type Gap = Static<typeof GapSchema>;
export type Welcome = Static<typeof WelcomeSchema>;
export type Ack = Static<typeof AckSchema>;
export type ConfigMessage = Static<typeof ConfigMessageSchema>;
export type ErrorMessage = Static<typeof ErrorMessageSchema>;
export type UpdateFile = Static<typeof UpdateFileSchema>;
export type UpdateMessage = Static<typeof UpdateMessageSchema>;
export type AgentMessage = Static<typeof AgentMessageSchema>;
export type CollectorMessage = Static<typeof CollectorMessageSchema>;

/** Enrollment: POST /api/v1/enroll exchanges a single-use token for an identity. */
export const EnrollRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 10, maxLength: 200 }),
    hostname: Type.String({ minLength: 1, maxLength: 255 }),
    platform: Type.String({ maxLength: 32 }),
    agentVersion: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export const EnrollResponseSchema = Type.Object({
  agentId: Type.String(),
  secret: Type.String(),
  // Optional so that an agent still enrolls with a collector from before upgrades (it then cannot upgrade until re-enrolled).
  signingKey: Type.Optional(Type.String({
    maxLength: 200, description: "the collector's ed25519 public key (SPKI DER, base64): the agent pins it and accepts only upgrades it signed",
  })),
});
export type EnrollRequest = Static<typeof EnrollRequestSchema>;
export type EnrollResponse = Static<typeof EnrollResponseSchema>;
