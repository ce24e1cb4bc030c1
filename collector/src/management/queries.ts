import type { ClientInfo, UserInfo, ApiTokenInfo } from '@nines/shared';
import type { Store } from '../store/store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Db } from '../store/sqlite/database.ts';

interface ClientRow { id: number; name: string; timezone: string; language: 'de' | 'en'; sla_target_ppm: number }
interface UserRow { id: number; username: string; role: 'admin' | 'client'; client_id: number | null; language: string | null }

const PPM = 1_000_000;
const toClient = (r: ClientRow): ClientInfo => ({ id: r.id, name: r.name, timezone: r.timezone, language: r.language, slaTarget: r.sla_target_ppm / PPM });
const toUser = (r: UserRow): UserInfo => ({
  id: r.id, username: r.username, role: r.role, clientId: r.client_id, language: r.language === 'de' || r.language === 'en' ? r.language : null,
});

/**
 * The management side of the database (clients' settings, users, API tokens, agent names): SQL that
 * only the dashboard and its API need, kept out of the core Store. SQLite only, like the Store today.
 */
export class ManagementQueries {
  constructor(private readonly db: Db) {}

  static of(store: Store): ManagementQueries {
    if (!(store instanceof SqliteStore)) throw new Error('management queries need the SQLite store');
    return new ManagementQueries(store.db);
  }

  listClients(ids: ReadonlySet<number> | null): ClientInfo[] {
    const rows = this.db.prepare(`SELECT id, name, timezone, language, sla_target_ppm FROM clients ORDER BY name`).all() as ClientRow[];
    return rows.filter((r) => ids === null || ids.has(r.id)).map(toClient);
  }

  getClient(id: number): ClientInfo | undefined {
    const row = this.db.prepare(`SELECT id, name, timezone, language, sla_target_ppm FROM clients WHERE id = ?`).get(id) as ClientRow | undefined;
    return row && toClient(row);
  }

  clientNameTaken(name: string, exceptId?: number): boolean {
    return this.db.prepare(`SELECT 1 FROM clients WHERE name = ? AND id IS NOT ?`).get(name, exceptId ?? null) !== undefined;
  }

  createClient(c: { name: string; timezone?: string; language?: 'de' | 'en'; slaTarget?: number }, now: number): ClientInfo {
    const info = this.db
      .prepare(`INSERT INTO clients (name, timezone, language, sla_target_ppm, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(c.name.trim(), c.timezone ?? 'Europe/Berlin', c.language ?? 'de', Math.round((c.slaTarget ?? 0.999) * PPM), now);
    return this.getClient(Number(info.lastInsertRowid))!;
  }

  updateClient(id: number, c: { name?: string; timezone?: string; language?: 'de' | 'en'; slaTarget?: number }): ClientInfo | undefined {
    this.db
      .prepare(
        `UPDATE clients SET name = coalesce(?, name), timezone = coalesce(?, timezone), language = coalesce(?, language),
           sla_target_ppm = coalesce(?, sla_target_ppm) WHERE id = ?`,
      )
      .run(c.name?.trim() ?? null, c.timezone ?? null, c.language ?? null, c.slaTarget === undefined ? null : Math.round(c.slaTarget * PPM), id);
    return this.getClient(id);
  }

  renameAgent(agentId: string, name: string): boolean {
    return this.db.prepare(`UPDATE agents SET name = ? WHERE id = ?`).run(name.trim(), agentId).changes > 0;
  }

  /** The details (e.g. a patch check's package list) of a check's newest result; null when it had none. */
  latestDetails(agentId: string, checkId: string): unknown {
    const json = this.db
      .prepare(`SELECT details_json FROM results WHERE agent_id = ? AND check_id = ? ORDER BY started_at DESC, seq DESC LIMIT 1`)
      .pluck()
      .get(agentId, checkId) as string | null | undefined;
    return json ? JSON.parse(json) : null;
  }

  listUsers(): UserInfo[] {
    return (this.db.prepare(`SELECT id, username, role, client_id, language FROM users ORDER BY username`).all() as UserRow[]).map(toUser);
  }

  getUser(id: number): UserInfo | undefined {
    const row = this.db.prepare(`SELECT id, username, role, client_id, language FROM users WHERE id = ?`).get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  setUserLanguage(id: number, language: 'de' | 'en' | null): void {
    this.db.prepare(`UPDATE users SET language = ? WHERE id = ?`).run(language, id);
  }

  countAdmins(): number {
    return this.db.prepare(`SELECT count(*) FROM users WHERE role = 'admin'`).pluck().get() as number;
  }

  /** Deletes a user; its sessions and API tokens go with it (ON DELETE CASCADE). */
  deleteUser(id: number): boolean {
    return this.db.prepare(`DELETE FROM users WHERE id = ?`).run(id).changes > 0;
  }

  listApiTokens(): ApiTokenInfo[] {
    return this.db
      .prepare(
        `SELECT t.rowid AS id, t.name, t.user_id AS userId, u.username, t.created_at AS createdAt, t.last_used_at AS lastUsedAt,
                t.scope, t.expires_at AS expiresAt
         FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at, t.rowid`,
      )
      .all() as ApiTokenInfo[];
  }

  apiTokenId(tokenHash: string): number {
    return this.db.prepare(`SELECT rowid FROM api_tokens WHERE token_hash = ?`).pluck().get(tokenHash) as number;
  }

  deleteApiToken(id: number): boolean {
    return this.db.prepare(`DELETE FROM api_tokens WHERE rowid = ?`).run(id).changes > 0;
  }
}
