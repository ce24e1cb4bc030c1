import { parseArgs } from 'node:util';
import { parseDuration } from '@nines/shared';
import { hashSecret, newEnrollToken } from '../auth/secrets.ts';
import type { Store } from '../store/store.ts';
import { openStore, settingsFrom, settingsOptions, UsageError, SETTINGS_HELP } from './common.ts';

export const enrollTokenHelp = `nines-collector enroll-token create --client <name> [--ttl 24h] [settings]
  Creates a single-use enrollment token for a client (the client is created if it does not exist)
  and prints it alone on the last line. The token is stored hashed and expires after --ttl
  (default 24h, at most 30d).
${SETTINGS_HELP}`;

export const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;

/** Creates a token for the client and returns it in the clear (the only time it exists so). */
export async function createEnrollToken(store: Store, clientName: string, now: number, ttlMs = DEFAULT_TOKEN_TTL_MS): Promise<string> {
  const client = await store.ensureClient(clientName, now);
  const token = newEnrollToken();
  await store.createEnrollToken(hashSecret(token), client.id, now, now + ttlMs);
  return token;
}

export async function enrollTokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, options: { ...settingsOptions, client: { type: 'string' }, ttl: { type: 'string' } },
  });
  if (positionals[0] !== 'create') throw new UsageError('usage: enroll-token create --client <name> [--ttl 24h]');
  if (!values.client) throw new UsageError('enroll-token create needs --client <name>');
  const ttl = ttlFrom(values.ttl);
  const store = await openStore(settingsFrom(values));
  try {
    const now = Date.now();
    const token = await createEnrollToken(store, values.client, now, ttl);
    process.stdout.write(`enrollment token for client "${values.client}", valid until ${new Date(now + ttl).toISOString()}, single use:\n${token}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

const MAX_TOKEN_TTL_MS = 30 * 86_400_000; // a token is a key to the client's tenant: a month is the most it should lie around

function ttlFrom(flag: string | undefined): number {
  if (flag === undefined) return DEFAULT_TOKEN_TTL_MS;
  let ttl: number;
  try {
    ttl = parseDuration(flag);
  } catch (error) {
    throw new UsageError(`--ttl: ${(error as Error).message}`);
  }
  if (ttl <= 0 || ttl > MAX_TOKEN_TTL_MS) throw new UsageError(`--ttl must be more than 0 and at most 30d, not "${flag}"`);
  return ttl;
}
