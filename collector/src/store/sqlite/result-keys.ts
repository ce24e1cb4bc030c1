import type { Status } from '@nines/shared';
import type { Db } from './database.ts';
import { contentHash } from './content-hash.ts';

/** Statuses as result_rows stores them (migration 021): OK and WARN take no bytes at all as 0 and 1. */
export const STATUS_NUMBERS: Readonly<Record<Status, number>> = { OK: 0, WARN: 1, CRIT: 2, UNKNOWN: 3 };

/** What a result says besides its status and times: stored once in result_contents, however many rows say it. */
export interface ResultContent {
  message: string;
  metricsJson: string;
  detailsJson: string | null;
  code: string | null;
  paramsJson: string | null;
}

function prepareKeyStatements(db: Db) {
  return {
    agent: db.prepare<[string], number>(`SELECT id FROM result_agents WHERE agent_id = ?`).pluck(),
    addAgent: db.prepare<[string], number>(`INSERT INTO result_agents (agent_id) VALUES (?) RETURNING id`).pluck(),
    check: db.prepare<[number, string], number>(`SELECT id FROM result_checks WHERE result_agent_id = ? AND check_id = ?`).pluck(),
    addCheck: db.prepare<[number, string], number>(`INSERT INTO result_checks (result_agent_id, check_id) VALUES (?, ?) RETURNING id`).pluck(),
    content: db.prepare<[number, string, string, string | null, string | null, string | null], number>(
      `SELECT id FROM result_contents WHERE hash = ? AND message = ? AND metrics_json = ? AND details_json IS ? AND code IS ? AND params_json IS ?`,
    ).pluck(),
    addContent: db.prepare<[number, string, string, string | null, string | null, string | null], number>(
      `INSERT INTO result_contents (hash, message, metrics_json, details_json, code, params_json) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    ).pluck(),
  };
}
type KeyStatements = ReturnType<typeof prepareKeyStatements>;

/**
 * The integer keys of the compact results layout (migration 021): an agent's, a check's and a content's,
 * found or added. Call inside the transaction that writes the rows that use them: a key added by a
 * transaction that rolls back is gone (and its number may be given to another), so nothing here remembers
 * keys beyond one `batch`.
 */
export class ResultKeys {
  private readonly stmt: KeyStatements;

  constructor(db: Db) {
    this.stmt = prepareKeyStatements(db);
  }

  /** Keys for one batch of one agent: checks and contents repeat within a batch, so each is looked up once. */
  batch(agentId: string): BatchKeys {
    const agentKey = this.stmt.agent.get(agentId) ?? this.stmt.addAgent.get(agentId)!;
    return new BatchKeys(agentKey, this.stmt);
  }
}

export class BatchKeys {
  private readonly checks = new Map<string, number>();
  private readonly contents = new Map<string, number>();

  constructor(
    readonly agentKey: number,
    private readonly stmt: KeyStatements,
  ) {}

  check(checkId: string): number {
    let key = this.checks.get(checkId);
    if (key === undefined) {
      key = this.stmt.check.get(this.agentKey, checkId) ?? this.stmt.addCheck.get(this.agentKey, checkId)!;
      this.checks.set(checkId, key);
    }
    return key;
  }

  content(c: ResultContent): number {
    // JSON text and codes hold no NUL and no raw \u0001 (the mark of a NULL); the message, which may, comes last:
    // two different contents never share a memo key.
    const memo = `${c.metricsJson}\0${c.detailsJson ?? '\u0001'}\0${c.code ?? '\u0001'}\0${c.paramsJson ?? '\u0001'}\0${c.message}`;
    let id = this.contents.get(memo);
    if (id === undefined) {
      const args = [contentHash(c.message, c.metricsJson, c.detailsJson, c.code, c.paramsJson), c.message, c.metricsJson, c.detailsJson, c.code, c.paramsJson] as const;
      id = this.stmt.content.get(...args) ?? this.stmt.addContent.get(...args)!;
      this.contents.set(memo, id);
    }
    return id;
  }
}
