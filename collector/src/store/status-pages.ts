import type { StatusNoticeKind, StatusPageConfig, StatusPageText } from '@nines/shared';

/** A client's status page: its link token and what it shows. */
export interface StatusPageRecord {
  clientId: number;
  token: string;
  config: StatusPageConfig;
  updatedAt: number;
  updatedBy: string | null;
}

/** A notice the consultant wrote for a client's status page. */
export interface StatusNoticeRecord {
  id: number;
  clientId: number;
  kind: StatusNoticeKind;
  title: StatusPageText;
  body: StatusPageText | null;
  from: number;
  to: number | null;
  createdAt: number;
  createdBy: string | null;
}

/** Status pages and their notices (migration 019). Reached as `store.statusPages`. */
export interface StatusPageRepository {
  get(clientId: number): Promise<StatusPageRecord | undefined>;
  /** The page a public link names; undefined for an unknown token. */
  byToken(token: string): Promise<StatusPageRecord | undefined>;
  /** Saves a client's page; `newToken` becomes its token only when the client has no page yet. */
  put(clientId: number, config: StatusPageConfig, newToken: string, now: number, by: string | null): Promise<StatusPageRecord>;
  /** Gives the page a new token (the old link stops working); false without a page. */
  rotateToken(clientId: number, token: string, now: number, by: string | null): Promise<boolean>;
  /** Deletes the page and its notices; false when there was none. */
  remove(clientId: number): Promise<boolean>;
  /** A client's notices, oldest start first. */
  notices(clientId: number): Promise<StatusNoticeRecord[]>;
  addNotice(notice: Omit<StatusNoticeRecord, 'id'>): Promise<StatusNoticeRecord>;
  /** False when the client has no notice of this id. */
  removeNotice(clientId: number, id: number): Promise<boolean>;
}
