import type { ApiTokenInfo, ApiTokenScope, ClientInfo, UserInfo } from '@nines/shared';
import type { Sql } from './connection.ts';
import type { ClientSettings, ManagementRepository } from '../management.ts';

interface ClientRow { id: number; name: string; timezone: string; language: 'de' | 'en'; sla_target_ppm: number }
interface UserRow { id: number; username: string; role: 'admin' | 'client'; client_id: number | null; language: string | null }
interface TokenRow { id: number; name: string; user_id: number; username: string; created_at: number; last_used_at: number | null; scope: ApiTokenScope; expires_at: number | null }

const PPM = 1_000_000; // SLA targets are stored as integer parts per million: 0.999 is 999000, exactly
const toClient = (r: ClientRow): ClientInfo => ({ id: r.id, name: r.name, timezone: r.timezone, language: r.language, slaTarget: r.sla_target_ppm / PPM });
const toUser = (r: UserRow): UserInfo => ({
  id: r.id, username: r.username, role: r.role, clientId: r.client_id, language: r.language === 'de' || r.language === 'en' ? r.language : null,
});
const toToken = (r: TokenRow): ApiTokenInfo => ({
  id: r.id, name: r.name, userId: r.user_id, username: r.username, createdAt: r.created_at, lastUsedAt: r.last_used_at, scope: r.scope, expiresAt: r.expires_at,
});
const ppmOf = (fraction: number) => Math.round(fraction * PPM);
const CLIENT_COLUMNS = `id, name, timezone, language, sla_target_ppm`;

/** ManagementRepository on PostgreSQL. */
export class PgManagement implements ManagementRepository {
  constructor(private readonly db: Sql) {}

  async listClients(ids: ReadonlySet<number> | null): Promise<ClientInfo[]> {
    const rows = await this.db.rows<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients ORDER BY name`);
    return rows.filter((r) => ids === null || ids.has(r.id)).map(toClient);
  }

  async getClient(id: number): Promise<ClientInfo | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = await this.db.row<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = $1`, [id]);
    return row && toClient(row);
  }

  async clientNameTaken(name: string, exceptId?: number): Promise<boolean> {
    return (await this.db.row(`SELECT 1 FROM clients WHERE name = $1 AND id IS DISTINCT FROM $2::bigint`, [name, exceptId ?? null])) !== undefined;
  }

  async createClient(c: ClientSettings & { name: string }, now: number): Promise<ClientInfo> {
    const row = await this.db.row<ClientRow>(
      `INSERT INTO clients (name, timezone, language, sla_target_ppm, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${CLIENT_COLUMNS}`,
      [c.name.trim(), c.timezone ?? 'Europe/Berlin', c.language ?? 'de', ppmOf(c.slaTarget ?? 0.999), now],
    );
    return toClient(row!);
  }

  async updateClient(id: number, c: ClientSettings): Promise<ClientInfo | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = await this.db.row<ClientRow>(
      `UPDATE clients SET name = coalesce($1, name), timezone = coalesce($2, timezone), language = coalesce($3, language),
         sla_target_ppm = coalesce($4, sla_target_ppm) WHERE id = $5 RETURNING ${CLIENT_COLUMNS}`,
      [c.name?.trim() ?? null, c.timezone ?? null, c.language ?? null, c.slaTarget === undefined ? null : ppmOf(c.slaTarget), id],
    );
    return row && toClient(row);
  }

  async renameAgent(agentId: string, name: string): Promise<boolean> {
    return (await this.db.run(`UPDATE agents SET name = $1 WHERE id = $2`, [name.trim(), agentId])) > 0;
  }

  async latestDetails(agentId: string, checkId: string): Promise<unknown> {
    const row = await this.db.row<{ details_json: string | null }>(
      `SELECT details_json FROM results WHERE agent_id = $1 AND check_id = $2 ORDER BY started_at DESC, seq DESC LIMIT 1`,
      [agentId, checkId],
    );
    return row?.details_json ? JSON.parse(row.details_json) : null;
  }

  async listUsers(): Promise<UserInfo[]> {
    return (await this.db.rows<UserRow>(`SELECT id, username, role, client_id, language FROM users ORDER BY username`)).map(toUser);
  }

  async getUser(id: number): Promise<UserInfo | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = await this.db.row<UserRow>(`SELECT id, username, role, client_id, language FROM users WHERE id = $1`, [id]);
    return row && toUser(row);
  }

  async setUserLanguage(id: number, language: 'de' | 'en' | null): Promise<void> {
    await this.db.run(`UPDATE users SET language = $1 WHERE id = $2`, [language, id]);
  }

  async countAdmins(): Promise<number> {
    return (await this.db.row<{ n: number }>(`SELECT count(*) AS n FROM users WHERE role = 'admin'`))?.n ?? 0;
  }

  /** Its sessions and API tokens go with it (ON DELETE CASCADE). */
  async deleteUser(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    return (await this.db.run(`DELETE FROM users WHERE id = $1`, [id])) > 0;
  }

  async listApiTokens(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.rows<TokenRow>(
      `SELECT t.id, t.name, t.user_id, u.username, t.created_at, t.last_used_at, t.scope, t.expires_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at, t.id`,
    );
    return rows.map(toToken);
  }

  async deleteApiToken(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    return (await this.db.run(`DELETE FROM api_tokens WHERE id = $1`, [id])) > 0;
  }
}
