import { Type, type Static } from '@sinclair/typebox';
import { GapSchema, ResultSchema } from './protocol.ts';

/**
 * What one collector tells the others sharing its database (PostgreSQL NOTIFY, under 8,000 bytes): the
 * post-commit events their in-memory views (overview, status, live sockets) and the leader's alerting follow.
 * Each names the event (`e`) and carries its payload (`p`); results travel without their details and labels,
 * which no listener of another collector reads, and the results a batch stored only as a count and the earliest
 * start. A receiver validates every message and drops one that does not fit (a collector of another version).
 */
const Ms = Type.Integer({ minimum: 0 });
const AgentRef = { agentId: Type.String({ minLength: 1, maxLength: 64 }), clientId: Type.Integer({ minimum: 0 }) };
export const ClusterResultSchema = Type.Omit(ResultSchema, ['details', 'labels'], { additionalProperties: false });

export const ClusterMessageSchema = Type.Union([
  Type.Object({ e: Type.Literal('resultsStored'), p: Type.Object({ ...AgentRef, count: Type.Integer({ minimum: 0 }), from: Ms, receivedAt: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('checksChanged'), p: Type.Object({ ...AgentRef, latest: Type.Array(ClusterResultSchema, { minItems: 1 }) }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('agentConnection'), p: Type.Object({ ...AgentRef, connected: Type.Boolean(), at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('gapStored'), p: Type.Object({ ...AgentRef, gap: GapSchema }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('agentSilent'), p: Type.Object({ ...AgentRef, silentSince: Ms, at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('agentHeard'), p: Type.Object({ ...AgentRef, silentSince: Ms, at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('configAssigned'), p: Type.Object({ ...AgentRef, version: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('settingsChanged'), p: Type.Object({ part: Type.Union([Type.Literal('channels'), Type.Literal('reports')]), at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('upgradeSettingChanged'), p: Type.Object({ at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ e: Type.Literal('agentOverQuota'), p: Type.Object({ ...AgentRef, limit: Type.String({ maxLength: 200 }), reason: Type.String({ maxLength: 1000 }), at: Ms }, { additionalProperties: false }) }, { additionalProperties: false }),
]);
export type ClusterMessage = Static<typeof ClusterMessageSchema>;
export type ClusterResult = Static<typeof ClusterResultSchema>;
