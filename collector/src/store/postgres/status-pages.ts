import type { StatusPageConfig, StatusPageText, StatusNoticeKind } from '@nines/shared';
import type { PgConnection } from './connection.ts';
import type { StatusNoticeRecord, StatusPageRecord, StatusPageRepository } from '../status-pages.ts';

interface PageRow { client_id: number; token: string; config: string; updated_at: number; updated_by: string | null }
interface NoticeRow { id: number; client_id: number; kind: StatusNoticeKind; texts: string; from_at: number; to_at: number | null; created_at: number; created_by: string | null }
interface NoticeTexts { title: StatusPageText; body: StatusPageText | null }

const page = (r: PageRow): StatusPageRecord => ({ clientId: r.client_id, token: r.token, config: JSON.parse(r.config) as StatusPageConfig, updatedAt: r.updated_at, updatedBy: r.updated_by });
const notice = (r: NoticeRow): StatusNoticeRecord => {
  const texts = JSON.parse(r.texts) as NoticeTexts;
  return { id: r.id, clientId: r.client_id, kind: r.kind, title: texts.title, body: texts.body, from: r.from_at, to: r.to_at, createdAt: r.created_at, createdBy: r.created_by };
};
const COLUMNS = `client_id, token, config, updated_at, updated_by`;

/** StatusPageRepository on PostgreSQL. */
export class PgStatusPages implements StatusPageRepository {
  constructor(private readonly db: PgConnection) {}

  async get(clientId: number): Promise<StatusPageRecord | undefined> {
    const row = await this.db.row<PageRow>(`SELECT ${COLUMNS} FROM status_pages WHERE client_id = $1`, [clientId]);
    return row && page(row);
  }

  async byToken(token: string): Promise<StatusPageRecord | undefined> {
    const row = await this.db.row<PageRow>(`SELECT ${COLUMNS} FROM status_pages WHERE token = $1`, [token]);
    return row && page(row);
  }

  async put(clientId: number, config: StatusPageConfig, newToken: string, now: number, by: string | null): Promise<StatusPageRecord> {
    const row = await this.db.row<PageRow>(
      `INSERT INTO status_pages (client_id, token, config, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (client_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by
       RETURNING ${COLUMNS}`,
      [clientId, newToken, JSON.stringify(config), now, by],
    );
    return page(row!);
  }

  async rotateToken(clientId: number, token: string, now: number, by: string | null): Promise<boolean> {
    return (await this.db.run(`UPDATE status_pages SET token = $1, updated_at = $2, updated_by = $3 WHERE client_id = $4`, [token, now, by, clientId])) > 0;
  }

  remove(clientId: number): Promise<boolean> {
    return this.db.transaction(async () => {
      await this.db.run(`DELETE FROM status_notices WHERE client_id = $1`, [clientId]);
      return (await this.db.run(`DELETE FROM status_pages WHERE client_id = $1`, [clientId])) > 0;
    });
  }

  async notices(clientId: number): Promise<StatusNoticeRecord[]> {
    return (await this.db.rows<NoticeRow>(`SELECT * FROM status_notices WHERE client_id = $1 ORDER BY from_at, id`, [clientId])).map(notice);
  }

  async addNotice(n: Omit<StatusNoticeRecord, 'id'>): Promise<StatusNoticeRecord> {
    const texts: NoticeTexts = { title: n.title, body: n.body };
    const row = await this.db.row<NoticeRow>(
      `INSERT INTO status_notices (client_id, kind, texts, from_at, to_at, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [n.clientId, n.kind, JSON.stringify(texts), n.from, n.to, n.createdAt, n.createdBy],
    );
    return notice(row!);
  }

  async removeNotice(clientId: number, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    return (await this.db.run(`DELETE FROM status_notices WHERE client_id = $1 AND id = $2`, [clientId, id])) > 0;
  }
}
