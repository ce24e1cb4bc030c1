/**
 * The rows of agents, checks and enrollment tokens as both stores' queries return them (the same columns on SQLite
 * and PostgreSQL), and the records the Store hands out.
 */
import { parseDuration, DEFAULT_INTERVAL_MS, type CheckConfig, type Status } from '@nines/shared';
import type { AgentRecord, CheckRecord } from './store.ts';

export interface AgentRow {
  id: string; client_id: number; client_name: string; name: string; hostname: string | null; platform: string | null;
  agent_version: string | null; created_at: number; revoked_at: number | null; last_seen_at: number | null; connected: number;
  clock_offset_ms: number | null; backlog: number; last_seq: number; config_version: number;
}
export interface CheckRow {
  agent_id: string; id: string; kind: string; name: string; config_json: string | null; interval_ms: number;
  status: Status | null; message: string | null; metrics_json: string | null; last_result_at: number | null;
  code: string | null; params_json: string | null; labels_json: string;
}
export interface EnrollTokenRow { client_id: number; expires_at: number; used_at: number | null }
export interface CredentialsRow { secret_hash: string; revoked_at: number | null }

export const toAgent = (r: AgentRow): AgentRecord => ({
  id: r.id, clientId: r.client_id, clientName: r.client_name, name: r.name, hostname: r.hostname, platform: r.platform,
  agentVersion: r.agent_version, createdAt: r.created_at, revokedAt: r.revoked_at, lastSeenAt: r.last_seen_at, connected: r.connected === 1,
  clockOffsetMs: r.clock_offset_ms, backlog: r.backlog, lastSeq: r.last_seq, configVersion: r.config_version,
});
export const toCheck = (r: CheckRow): CheckRecord => ({
  agentId: r.agent_id, id: r.id, kind: r.kind, name: r.name, config: r.config_json ? JSON.parse(r.config_json) : null,
  intervalMs: r.interval_ms, status: r.status, message: r.message,
  metrics: r.metrics_json ? JSON.parse(r.metrics_json) : null, lastResultAt: r.last_result_at,
  code: r.code, params: r.params_json ? JSON.parse(r.params_json) : null, labels: JSON.parse(r.labels_json),
});

export function intervalOf(check: CheckConfig): number {
  return check.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(check.interval);
}

export const AGENT_SELECT = `SELECT a.*, c.name AS client_name FROM agents a JOIN clients c ON c.id = a.client_id`;
export const CLIENT_SELECT = `SELECT id, name, timezone, language FROM clients`;
