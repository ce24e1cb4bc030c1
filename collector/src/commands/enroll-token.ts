import { parseArgs } from 'node:util';
import { parseDuration } from '@nines/shared';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { Store } from '../store/store.ts';
import { openStore, settingsFrom, settingsOptions, UsageError, SETTINGS_HELP } from './common.ts';

export const enrollTokenHelp = `nines-collector enroll-token create --client <name> [--ttl 24h] [settings]
  Creates a single-use enrollment token for a client (the client is created if it does not exist)
  and prints it alone on the last line. The token is stored hashed and expires after --ttl.
${SETTINGS_HELP}`;

export const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;

/** Creates a token for the client and returns it in the clear (the only time it exists so). */
export function createEnrollToken(store: Store, clientName: string, now: number, ttlMs = DEFAULT_TOKEN_TTL_MS): string {
  const client = store.ensureClient(clientName, now);
  const token = newSecret(24);
  store.createEnrollToken(hashSecret(token), client.id, now, now + ttlMs);
  return token;
}

export async function enrollTokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, options: { ...settingsOptions, client: { type: 'string' }, ttl: { type: 'string' } },
  });
  if (positionals[0] !== 'create') throw new UsageError('usage: enroll-token create --client <name> [--ttl 24h]');
  if (!values.client) throw new UsageError('enroll-token create needs --client <name>');
  const ttl = values.ttl ? parseDuration(values.ttl) : DEFAULT_TOKEN_TTL_MS;
  const store = openStore(settingsFrom(values));
  try {
    const token = createEnrollToken(store, values.client, Date.now(), ttl);
    process.stdout.write(`enrollment token for client "${values.client}", valid until ${new Date(Date.now() + ttl).toISOString()}, single use:\n${token}\n`);
    return 0;
  } finally {
    store.close();
  }
}
