import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { openStore } from './store/open.ts';
import { databaseFile, type Settings } from './settings.ts';
import { hashPassword, newSecret } from './auth/secrets.ts';
import type { Store } from './store/store.ts';
import { loadOrCreateSigningKey } from './upgrade/signing-key.ts';
import { DASHBOARD_DIR } from './layout.ts';

export { DASHBOARD_DIR };

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** The first admin's password when this start created it (shown once), else null. */
  initialAdminPassword: string | null;
  close(): Promise<void>;
}

/** Opens the database, makes sure an admin exists, and listens. */
export async function startServer(settings: Settings, log: Logger): Promise<RunningServer> {
  // With SQLite, opening the store creates the data directory (0700) or says why it cannot; with PostgreSQL the
  // directory still holds the signing key and the first admin's password, so it is made here.
  if (settings.databaseUrl !== null) mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore({ databaseFile: databaseFile(settings), databaseUrl: settings.databaseUrl });
  let app: FastifyInstance;
  let initialAdminPassword: string | null;
  try {
    initialAdminPassword = await ensureAdmin(store, settings.dataDir);
    app = await buildApp({
      store, dashboardDir: DASHBOARD_DIR, downloadsDir: settings.downloadsDir, loggerInstance: log, retention: settings.retention, ingestQuota: settings.ingestQuota, http: settings.http,
      upgrade: { signingKey: loadOrCreateSigningKey(settings.dataDir), automatic: settings.upgrade.automatic },
    });
  } catch (error) {
    // A refused start (a logo it cannot read, a port taken) must end the process: PostgreSQL's pool would keep it alive.
    await store.close();
    throw error;
  }
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    await app.close();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  let closed = false;
  return {
    app, store, url, initialAdminPassword,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await store.close();
    },
  };
}

/** On first start: an admin account with a random password, written to data/initial-admin-password (0600). */
export async function ensureAdmin(store: Store, dataDir: string): Promise<string | null> {
  if (await store.countUsers() > 0) return null;
  const password = newSecret(15);
  await store.createUser({ username: 'admin', passwordHash: await hashPassword(password), role: 'admin' }, Date.now());
  writeFileSync(join(dataDir, 'initial-admin-password'), password + '\n', { mode: 0o600 });
  return password;
}
