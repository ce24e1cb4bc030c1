import type { ApiTokenScope } from '@nines/shared';
import type { Sql } from './connection.ts';
import type { ApiTokenGrant, SessionGrant, UserRecord } from '../store.ts';

interface UserRow { id: number; username: string; role: 'admin' | 'client'; client_id: number | null; language: string | null }
interface LoginRow extends UserRow { password_hash: string }
interface SessionRow extends UserRow { expires_at: number }
interface TokenRow extends UserRow { token_id: number; scope: ApiTokenScope; expires_at: number | null }

function userOf(row: UserRow): UserRecord {
  return { id: row.id, username: row.username, role: row.role, clientId: row.client_id, language: row.language };
}

/** Users, browser sessions and API tokens on PostgreSQL: who may log in, and what a session or token grants. */
export class PgAuth {
  constructor(private readonly db: Sql) {}

  async createUser(user: { username: string; passwordHash: string; role: 'admin' | 'client'; clientId?: number | null }, now: number): Promise<number> {
    const row = await this.db.row<{ id: number }>(
      `INSERT INTO users (username, password_hash, role, client_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [user.username, user.passwordHash, user.role, user.clientId ?? null, now],
    );
    return row!.id;
  }

  async findUserByName(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const row = await this.db.row<LoginRow>(`SELECT id, username, role, client_id, language, password_hash FROM users WHERE username = $1`, [username]);
    return row && { ...userOf(row), passwordHash: row.password_hash };
  }

  async countUsers(): Promise<number> {
    return (await this.db.row<{ n: number }>(`SELECT count(*) AS n FROM users`))?.n ?? 0;
  }

  async createSession(idHash: string, userId: number, now: number, expiresAt: number): Promise<void> {
    await this.db.run(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [idHash, userId, now, expiresAt]);
  }

  async session(idHash: string, now: number): Promise<SessionGrant | undefined> {
    const row = await this.db.row<SessionRow>(
      `SELECT u.id, u.username, u.role, u.client_id, u.language, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.expires_at > $2`,
      [idHash, now],
    );
    return row && { user: userOf(row), expiresAt: row.expires_at };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.run(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
  }

  async createApiToken(tokenHash: string, userId: number, name: string, now: number, options: { scope?: ApiTokenScope; expiresAt?: number | null } = {}): Promise<number> {
    const row = await this.db.row<{ id: number }>(
      `INSERT INTO api_tokens (token_hash, user_id, name, created_at, scope, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tokenHash, userId, name, now, options.scope ?? 'admin', options.expiresAt ?? null],
    );
    return row!.id;
  }

  async apiToken(tokenHash: string, now: number): Promise<ApiTokenGrant | undefined> {
    // One statement notes the use and reads the grant.
    const row = await this.db.row<TokenRow>(
      `UPDATE api_tokens t SET last_used_at = $2 FROM users u
       WHERE u.id = t.user_id AND t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)
       RETURNING u.id, u.username, u.role, u.client_id, u.language, t.id AS token_id, t.scope, t.expires_at`,
      [tokenHash, now],
    );
    return row && { user: userOf(row), tokenId: row.token_id, scope: row.scope, expiresAt: row.expires_at };
  }
}
