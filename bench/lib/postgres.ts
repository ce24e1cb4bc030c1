/** A fresh PostgreSQL database for a bench run, on the server the tests use (.ci/postgres-up) unless told otherwise. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_POSTGRES_URL = process.env.NINES_BENCH_POSTGRES_URL ?? process.env.NINES_TEST_POSTGRES_URL ?? 'postgres://nines_test:nines_test@127.0.0.1:5432/postgres';

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; returns its URL and how to drop it. Throws, naming the server, when it does not answer. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nines_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await admin((client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    throw new Error(`PostgreSQL at ${BENCH_POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message} (start it with .ci/postgres-up)`, { cause: error });
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}
