/** Messages the collector pushes to dashboards on /ws/live. */
import { Type, type Static } from '@sinclair/typebox';
import { StatusSchema } from './status.ts';

export const CheckUpdateSchema = Type.Object({
  type: Type.Literal('check'),
  agentId: Type.String(),
  checkId: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  status: StatusSchema,
  message: Type.String(),
  metrics: Type.Record(Type.String(), Type.Number()),
  at: Type.Integer(),
});

export const AgentUpdateSchema = Type.Object({
  type: Type.Literal('agent'),
  agentId: Type.String(),
  connected: Type.Boolean(),
  lastSeenAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const LiveMessageSchema = Type.Union([CheckUpdateSchema, AgentUpdateSchema]);
export type CheckUpdate = Static<typeof CheckUpdateSchema>;
export type AgentUpdate = Static<typeof AgentUpdateSchema>;
export type LiveMessage = Static<typeof LiveMessageSchema>;
