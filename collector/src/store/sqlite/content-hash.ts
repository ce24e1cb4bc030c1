import { createHash } from 'node:crypto';
import type { Db } from './database.ts';

/**
 * The key result_contents is looked up by (migration 021): 48 bits of the SHA-256 of the five columns. An index on
 * the texts themselves stored every distinct message and metrics twice, so a check whose content is new each time
 * (a disk's free bytes) cost ~440 bytes a result instead of ~295; the hash's index entry is a few bytes. Equal hashes
 * of different contents are told apart by comparing the columns: a collision costs a second candidate row, never a
 * wrong one. 48 bits: a safe JavaScript integer, and a few bytes in SQLite's variable-length integers.
 */
export function contentHash(message: string, metricsJson: string, detailsJson: string | null, code: string | null, paramsJson: string | null): number {
  const hash = createHash('sha256');
  // Each column with its length: "ab"+"c" and "a"+"bc" differ; NULL (-1) differs from ''.
  for (const column of [message, metricsJson, detailsJson, code, paramsJson]) {
    hash.update(column === null ? '-1:' : `${Buffer.byteLength(column)}:`);
    if (column !== null) hash.update(column);
  }
  return hash.digest().readIntBE(0, 6);
}

/** The same hash as the SQL function nines_content_hash, which migration 021 and the results view's insert trigger use. */
export function registerContentHash(db: Db): void {
  db.function('nines_content_hash', { deterministic: true, varargs: false }, (message, metricsJson, detailsJson, code, paramsJson) =>
    contentHash(String(message), String(metricsJson), text(detailsJson), text(code), text(paramsJson)),
  );
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
