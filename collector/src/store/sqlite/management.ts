import type { Synchronous } from '../synchronous.ts';
import type { ApiTokenInfo, ApiTokenScope, ClientInfo, UserInfo } from '@nines/shared';
import type { Db } from './database.ts';
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

/** ManagementRepository on SQLite. */
export class SqliteManagement implements Synchronous<ManagementRepository> {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      clients: db.prepare<[], ClientRow>(`SELECT id, name, timezone, language, sla_target_ppm FROM clients ORDER BY name`),
      client: db.prepare<[number], ClientRow>(`SELECT id, name, timezone, language, sla_target_ppm FROM clients WHERE id = ?`),
      nameTaken: db.prepare<[string, number | null], number>(`SELECT 1 FROM clients WHERE name = ? AND id IS NOT ?`).pluck(),
      createClient: db.prepare<[string, string, 'de' | 'en', number, number]>(
        `INSERT INTO clients (name, timezone, language, sla_target_ppm, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      updateClient: db.prepare<[string | null, string | null, 'de' | 'en' | null, number | null, number]>(
        `UPDATE clients SET name = coalesce(?, name), timezone = coalesce(?, timezone), language = coalesce(?, language),
           sla_target_ppm = coalesce(?, sla_target_ppm) WHERE id = ?`,
      ),
      renameAgent: db.prepare<[string, string]>(`UPDATE agents SET name = ? WHERE id = ?`),
      latestDetails: db.prepare<[string, string], string | null>(
        `SELECT details_json FROM results WHERE agent_id = ? AND check_id = ? ORDER BY started_at DESC, seq DESC LIMIT 1`,
      ).pluck(),
      users: db.prepare<[], UserRow>(`SELECT id, username, role, client_id, language FROM users ORDER BY username`),
      user: db.prepare<[number], UserRow>(`SELECT id, username, role, client_id, language FROM users WHERE id = ?`),
      setLanguage: db.prepare<['de' | 'en' | null, number]>(`UPDATE users SET language = ? WHERE id = ?`),
      countAdmins: db.prepare<[], number>(`SELECT count(*) FROM users WHERE role = 'admin'`).pluck(),
      deleteUser: db.prepare<[number]>(`DELETE FROM users WHERE id = ?`),
      tokens: db.prepare<[], TokenRow>(
        `SELECT t.rowid AS id, t.name, t.user_id, u.username, t.created_at, t.last_used_at, t.scope, t.expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at, t.rowid`,
      ),
      deleteToken: db.prepare<[number]>(`DELETE FROM api_tokens WHERE rowid = ?`),
    };
  }

  listClients(ids: ReadonlySet<number> | null): ClientInfo[] {
    return this.stmt.clients.all().filter((r) => ids === null || ids.has(r.id)).map(toClient);
  }

  getClient(id: number): ClientInfo | undefined {
    const row = this.stmt.client.get(id);
    return row && toClient(row);
  }

  clientNameTaken(name: string, exceptId?: number): boolean {
    return this.stmt.nameTaken.get(name, exceptId ?? null) !== undefined;
  }

  createClient(c: ClientSettings & { name: string }, now: number): ClientInfo {
    const info = this.stmt.createClient.run(c.name.trim(), c.timezone ?? 'Europe/Berlin', c.language ?? 'de', ppmOf(c.slaTarget ?? 0.999), now);
    return this.getClient(Number(info.lastInsertRowid))!;
  }

  updateClient(id: number, c: ClientSettings): ClientInfo | undefined {
    this.stmt.updateClient.run(c.name?.trim() ?? null, c.timezone ?? null, c.language ?? null, c.slaTarget === undefined ? null : ppmOf(c.slaTarget), id);
    return this.getClient(id);
  }

  renameAgent(agentId: string, name: string): boolean {
    return this.stmt.renameAgent.run(name.trim(), agentId).changes > 0;
  }

  latestDetails(agentId: string, checkId: string): unknown {
    const json = this.stmt.latestDetails.get(agentId, checkId);
    return json ? JSON.parse(json) : null;
  }

  listUsers(): UserInfo[] {
    return this.stmt.users.all().map(toUser);
  }

  getUser(id: number): UserInfo | undefined {
    const row = this.stmt.user.get(id);
    return row && toUser(row);
  }

  setUserLanguage(id: number, language: 'de' | 'en' | null): void {
    this.stmt.setLanguage.run(language, id);
  }

  countAdmins(): number {
    return this.stmt.countAdmins.get() ?? 0;
  }

  /** Its sessions and API tokens go with it (ON DELETE CASCADE). */
  deleteUser(id: number): boolean {
    return this.stmt.deleteUser.run(id).changes > 0;
  }

  listApiTokens(): ApiTokenInfo[] {
    return this.stmt.tokens.all().map(toToken);
  }

  deleteApiToken(id: number): boolean {
    return this.stmt.deleteToken.run(id).changes > 0;
  }
}
