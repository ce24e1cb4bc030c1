import type { Synchronous } from '../synchronous.ts';
import type { StatusPageConfig, StatusPageText, StatusNoticeKind } from '@nines/shared';
import type { Db } from './database.ts';
import type { StatusNoticeRecord, StatusPageRecord, StatusPageRepository } from '../status-pages.ts';

interface PageRow { client_id: number; token: string; config: string; updated_at: number; updated_by: string | null }
interface NoticeRow { id: number; client_id: number; kind: StatusNoticeKind; texts: string; from_at: number; to_at: number | null; created_at: number; created_by: string | null }
interface NoticeTexts { title: StatusPageText; body: StatusPageText | null }

const page = (r: PageRow): StatusPageRecord => ({ clientId: r.client_id, token: r.token, config: JSON.parse(r.config) as StatusPageConfig, updatedAt: r.updated_at, updatedBy: r.updated_by });
const notice = (r: NoticeRow): StatusNoticeRecord => {
  const texts = JSON.parse(r.texts) as NoticeTexts;
  return { id: r.id, clientId: r.client_id, kind: r.kind, title: texts.title, body: texts.body, from: r.from_at, to: r.to_at, createdAt: r.created_at, createdBy: r.created_by };
};

export class SqliteStatusPages implements Synchronous<StatusPageRepository> {
  private readonly stmt;

  constructor(private readonly db: Db) {
    const columns = `client_id, token, config, updated_at, updated_by`;
    this.stmt = {
      get: db.prepare<[number], PageRow>(`SELECT ${columns} FROM status_pages WHERE client_id = ?`),
      byToken: db.prepare<[string], PageRow>(`SELECT ${columns} FROM status_pages WHERE token = ?`),
      put: db.prepare<[{ clientId: number; token: string; config: string; now: number; by: string | null }], PageRow>(
        `INSERT INTO status_pages (client_id, token, config, updated_at, updated_by) VALUES (@clientId, @token, @config, @now, @by)
         ON CONFLICT (client_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by
         RETURNING ${columns}`,
      ),
      rotate: db.prepare(`UPDATE status_pages SET token = ?, updated_at = ?, updated_by = ? WHERE client_id = ?`),
      remove: db.prepare(`DELETE FROM status_pages WHERE client_id = ?`),
      removeNotices: db.prepare(`DELETE FROM status_notices WHERE client_id = ?`),
      notices: db.prepare<[number], NoticeRow>(`SELECT * FROM status_notices WHERE client_id = ? ORDER BY from_at, id`),
      addNotice: db.prepare<[{ clientId: number; kind: string; texts: string; from: number; to: number | null; now: number; by: string | null }], NoticeRow>(
        `INSERT INTO status_notices (client_id, kind, texts, from_at, to_at, created_at, created_by) VALUES (@clientId, @kind, @texts, @from, @to, @now, @by) RETURNING *`,
      ),
      removeNotice: db.prepare(`DELETE FROM status_notices WHERE client_id = ? AND id = ?`),
    };
  }

  get(clientId: number): StatusPageRecord | undefined {
    const row = this.stmt.get.get(clientId);
    return row && page(row);
  }

  byToken(token: string): StatusPageRecord | undefined {
    const row = this.stmt.byToken.get(token);
    return row && page(row);
  }

  put(clientId: number, config: StatusPageConfig, newToken: string, now: number, by: string | null): StatusPageRecord {
    return page(this.stmt.put.get({ clientId, token: newToken, config: JSON.stringify(config), now, by })!);
  }

  rotateToken(clientId: number, token: string, now: number, by: string | null): boolean {
    return this.stmt.rotate.run(token, now, by, clientId).changes > 0;
  }

  remove(clientId: number): boolean {
    return this.db.transaction(() => {
      this.stmt.removeNotices.run(clientId);
      return this.stmt.remove.run(clientId).changes > 0;
    })();
  }

  notices(clientId: number): StatusNoticeRecord[] {
    return this.stmt.notices.all(clientId).map(notice);
  }

  addNotice(n: Omit<StatusNoticeRecord, 'id'>): StatusNoticeRecord {
    const texts: NoticeTexts = { title: n.title, body: n.body };
    return notice(this.stmt.addNotice.get({ clientId: n.clientId, kind: n.kind, texts: JSON.stringify(texts), from: n.from, to: n.to, now: n.createdAt, by: n.createdBy })!);
  }

  removeNotice(clientId: number, id: number): boolean {
    return this.stmt.removeNotice.run(clientId, id).changes > 0;
  }
}
