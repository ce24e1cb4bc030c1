/** A real collector for benches: buildApp + a store (SQLite in a temp dir, or a fresh PostgreSQL database), on 127.0.0.1 port 0. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../collector/src/app.ts';
import { SqliteStore } from '../../collector/src/store/sqlite/sqlite-store.ts';
import { createEnrollToken } from '../../collector/src/commands/enroll-token.ts';
import { hashSecret, newAgentId, newSecret } from '../../collector/src/auth/secrets.ts';
import type { Store } from '../../collector/src/store/store.ts';

export interface AgentCredentials {
  agentId: string;
  secret: string;
}

export interface BenchCollector<S extends Store = SqliteStore> {
  app: FastifyInstance;
  store: S;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * Logs as in production (pino at info, one JSON line per event), but into a file in the temp dir:
 * the cost of logging is part of the figure, the terminal stays readable.
 */
export async function startBenchCollector(dir = mkdtempSync(join(tmpdir(), 'nines-bench-'))): Promise<BenchCollector> {
  return startBenchCollectorOn(new SqliteStore(join(dir, 'nines.db')), dir);
}

/** The same on a store opened by the caller (bench/stores.ts: PostgreSQL); closing the collector closes it. */
export async function startBenchCollectorOn<S extends Store>(store: S, dir = mkdtempSync(join(tmpdir(), 'nines-bench-'))): Promise<BenchCollector<S>> {
  const log = pino({ level: 'info', base: { app: 'nines-collector' } }, pino.destination({ dest: join(dir, 'collector.log'), sync: false }));
  const app = await buildApp({ store, loggerInstance: log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    app, store, dir, url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Enrolls `count` agents of one client straight in the store (the enrollment HTTP path is not what these benches measure). */
export async function enrollAgents(store: Store, count: number, client = 'bench'): Promise<AgentCredentials[]> {
  const out: AgentCredentials[] = [];
  for (let i = 0; i < count; i++) {
    const token = await createEnrollToken(store, client, Date.now());
    const agentId = newAgentId();
    const secret = newSecret();
    const outcome = await store.enrollAgent(
      hashSecret(token),
      { id: agentId, name: `pc-${String(i).padStart(4, '0')}`, secretHash: hashSecret(secret), platform: 'linux', agentVersion: 'bench' },
      Date.now(),
    );
    if ('problem' in outcome) throw new Error(`enrolling bench agent ${i} failed: token ${outcome.problem}`);
    out.push({ agentId, secret });
  }
  return out;
}

/** An admin with an API token, for /api and /ws/live (`Authorization: Bearer <token>`). */
export function adminToken(store: Store): Promise<string> {
  return apiToken(store, 'admin', null);
}

/** An API token of a new user: the consultant (admin) or one client's login (client). */
export async function apiToken(store: Store, role: 'admin' | 'client', clientId: number | null): Promise<string> {
  const userId = await store.createUser({ username: `bench-${role}-${newSecret(4)}`, passwordHash: 'unused', role, clientId }, Date.now());
  const token = await newSecret();
  await store.createApiToken(hashSecret(token), userId, 'bench', Date.now());
  return token;
}
