/** Messages the collector pushes to dashboards on /ws/live. */
import { Type, type Static } from '@sinclair/typebox';
import { StatusSchema } from './status.ts';
import { ClientSummarySchema, HostBeatSchema } from './api.ts';

export const CheckUpdateSchema = Type.Object({
  type: Type.Literal('check'),
  agentId: Type.String(),
  checkId: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  status: StatusSchema,
  message: Type.String(),
  /** The message as code + params (shared/src/messages), rendered per language by the dashboard; absent from old agents. */
  code: Type.Optional(Type.String()),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  metrics: Type.Record(Type.String(), Type.Number()),
  at: Type.Integer(),
});

export const AgentUpdateSchema = Type.Object({
  type: Type.Literal('agent'),
  agentId: Type.String(),
  connected: Type.Boolean(),
  lastSeenAt: Type.Union([Type.Integer(), Type.Null()]),
});

/**
 * A client's overview row as it is now (collector/src/live/overview-model.ts): sent when it changed, at most once
 * per flush interval per client, so a dashboard applies it in place instead of fetching the overview again.
 */
export const OverviewUpdateSchema = Type.Object({
  type: Type.Literal('overview'),
  /** The row as the list carries it: its bars capped (see ClientSummarySchema `beats`). */
  client: ClientSummarySchema,
  /** Every host's bar that changed since the row's previous push, capped or not: the client page replaces these. */
  bars: Type.Array(HostBeatSchema),
  at: Type.Integer(),
});

export const LiveMessageSchema = Type.Union([CheckUpdateSchema, AgentUpdateSchema, OverviewUpdateSchema]);
export type CheckUpdate = Static<typeof CheckUpdateSchema>;
export type AgentUpdate = Static<typeof AgentUpdateSchema>;
export type OverviewUpdate = Static<typeof OverviewUpdateSchema>;
export type LiveMessage = Static<typeof LiveMessageSchema>;
