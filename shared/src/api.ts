/** Shapes of the /api/v1 responses that agent-independent tools (dashboard, scripts) rely on. */
import { Type, type Static } from '@sinclair/typebox';
import { StatusSchema } from './status.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CheckStatusSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  status: StatusSchema,
  message: Nullable(Type.String()),
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
  clockOffsetMs: Nullable(Type.Integer()),
  revoked: Type.Boolean(),
  checks: Type.Array(CheckStatusSchema),
});

export const StatusResponseSchema = Type.Object({ agents: Type.Array(AgentStatusSchema) });

export type CheckStatus = Static<typeof CheckStatusSchema>;
export type AgentStatus = Static<typeof AgentStatusSchema>;
export type StatusResponse = Static<typeof StatusResponseSchema>;
