import type { ApiTokenScope } from '@nines/shared';
import type { Db } from './database.ts';
import type { ApiTokenGrant, SessionGrant, UserRecord } from '../store.ts';

interface UserRow { id: number; username: string; role: 'admin' | 'client'; client_id: number | null; language: string | null }
interface LoginRow extends UserRow { password_hash: string }
interface SessionRow extends UserRow { expires_at: number }
interface TokenRow extends UserRow { token_id: number; scope: ApiTokenScope; expires_at: number | null }

function userOf(row: UserRow): UserRecord {
  return { id: row.id, username: row.username, role: row.role, clientId: row.client_id, language: row.language };
}

/** Users, browser sessions and API tokens: who may log in, and what a session or token grants. */
export class SqliteAuth {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      createUser: db.prepare<[string, string, 'admin' | 'client', number | null, number]>(
        `INSERT INTO users (username, password_hash, role, client_id, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      userByName: db.prepare<[string], LoginRow>(`SELECT id, username, role, client_id, language, password_hash FROM users WHERE username = ?`),
      countUsers: db.prepare<[], number>(`SELECT count(*) FROM users`).pluck(),
      createSession: db.prepare<[string, number, number, number]>(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
      session: db.prepare<[string, number], SessionRow>(
        `SELECT u.id, u.username, u.role, u.client_id, u.language, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.expires_at > ?`,
      ),
      deleteSession: db.prepare<[string]>(`DELETE FROM sessions WHERE id_hash = ?`),
      createApiToken: db.prepare<[string, number, string, number, ApiTokenScope, number | null]>(
        `INSERT INTO api_tokens (token_hash, user_id, name, created_at, scope, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      apiToken: db.prepare<[string, number], TokenRow>(
        `SELECT u.id, u.username, u.role, u.client_id, u.language, t.rowid AS token_id, t.scope, t.expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`,
      ),
      tokenUsed: db.prepare<[number, string]>(`UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`),
    };
  }

  createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): number {
    return Number(this.stmt.createUser.run(user.username, user.passwordHash, user.role, user.clientId ?? null, now).lastInsertRowid);
  }

  findUserByName(username: string): (UserRecord & { passwordHash: string }) | undefined {
    const row = this.stmt.userByName.get(username);
    return row && { ...userOf(row), passwordHash: row.password_hash };
  }

  countUsers(): number {
    return this.stmt.countUsers.get() ?? 0;
  }

  createSession(idHash: string, userId: number, now: number, expiresAt: number): void {
    this.stmt.createSession.run(idHash, userId, now, expiresAt);
  }

  session(idHash: string, now: number): SessionGrant | undefined {
    const row = this.stmt.session.get(idHash, now);
    return row && { user: userOf(row), expiresAt: row.expires_at };
  }

  deleteSession(idHash: string): void {
    this.stmt.deleteSession.run(idHash);
  }

  createApiToken(tokenHash: string, userId: number, name: string, now: number, options: { scope?: ApiTokenScope; expiresAt?: number | null } = {}): number {
    return Number(this.stmt.createApiToken.run(tokenHash, userId, name, now, options.scope ?? 'admin', options.expiresAt ?? null).lastInsertRowid);
  }

  apiToken(tokenHash: string, now: number): ApiTokenGrant | undefined {
    const row = this.stmt.apiToken.get(tokenHash, now);
    if (!row) return undefined;
    this.stmt.tokenUsed.run(now, tokenHash);
    return { user: userOf(row), tokenId: row.token_id, scope: row.scope, expiresAt: row.expires_at };
  }
}
