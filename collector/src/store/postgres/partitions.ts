import type pg from 'pg';

/** The first ms of the UTC month `offset` months after the one holding `at`. */
export function monthStart(at: number, offset = 0): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

/** The partition of the month starting at `start`: results_YYYY_MM. */
export function partitionName(start: number): string {
  const d = new Date(start);
  return `results_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The months that have a partition of their own, as their start times, oldest first. */
export async function monthPartitions(pool: pg.Pool | pg.PoolClient): Promise<Array<{ name: string; start: number }>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'results' AND p.relnamespace = current_schema()::regnamespace AND c.relname ~ '^results_[0-9]{4}_[0-9]{2}$'`,
  );
  return rows
    .map(({ name }) => ({ name, start: Date.UTC(Number(name.slice(8, 12)), Number(name.slice(13, 15)) - 1, 1) }))
    .sort((a, b) => a.start - b.start);
}

const PARTITION_LOCK = 0x4e494e50; // "NINP"

/**
 * Creates the monthly partitions of results from the month before `now` to `ahead` months after it, those that do
 * not exist yet (ensurePartitionsFor).
 */
export function ensureMonthPartitions(pool: pg.Pool, now: number, ahead = 2): Promise<string[]> {
  const months: number[] = [];
  for (let offset = -1; offset <= ahead; offset++) months.push(monthStart(now, offset));
  return ensurePartitionsFor(pool, months);
}

/** Every month from the one holding `from` to the one holding `to`: for history copied in (migrate --from). */
export function monthsBetween(from: number, to: number): number[] {
  const months: number[] = [];
  for (let start = monthStart(from); start <= to; start = monthStart(start, 1)) months.push(start);
  return months;
}

/**
 * Creates the partitions of the months starting at `months` that do not exist yet. Runs outside any unit of work
 * (a partition is created under a lock on the whole table) and under an advisory lock, so collectors that start
 * together create each month once. A month whose rows already sit in the default partition (an agent's clock far
 * ahead) is left there: PostgreSQL refuses a partition the default has rows for, and every reader reads the table,
 * not the partition, so nothing is lost.
 */
export async function ensurePartitionsFor(pool: pg.Pool, months: number[]): Promise<string[]> {
  const client = await pool.connect();
  const created: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PARTITION_LOCK]);
    try {
      const have = new Set((await monthPartitions(client)).map((p) => p.start));
      for (const start of months) {
        if (have.has(start)) continue;
        const end = monthStart(start, 1);
        const inDefault = await client.query(`SELECT 1 FROM results_default WHERE started_at >= $1 AND started_at < $2 LIMIT 1`, [start, end]);
        if (inDefault.rowCount) continue;
        await client.query(`CREATE TABLE ${partitionName(start)} PARTITION OF results FOR VALUES FROM (${start}) TO (${end})`);
        have.add(start);
        created.push(partitionName(start));
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PARTITION_LOCK]);
    }
  } finally {
    client.release();
  }
  return created;
}
