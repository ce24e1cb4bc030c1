import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { Clock, LiveMessage, Result } from '@nines/shared';
import { buildApp, type AppOptions } from '../../src/app.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStoreAt, TEST_STORE, type StoreKind } from './test-store.ts';
import { createEnrollToken } from '../../src/commands/enroll-token.ts';
import { hashSecret, newAgentId, newSecret } from '../../src/auth/secrets.ts';

export interface TestCollector<S extends Store = Store> {
  app: FastifyInstance;
  /** SQLite unless NINES_TEST_STORE=postgres (helpers/test-store.ts); a test that reads the SQLite file asks for `store: 'sqlite'`. */
  store: S;
  url: string;
  dir: string;
  /** The settings flags a CLI process needs to use this collector's store: --data-dir, and --database-url on PostgreSQL. */
  settings: string[];
  /** Enrolls an agent straight in the store (the HTTP path has its own tests); returns its credentials. */
  addAgent(client?: string): Promise<{ agentId: string; secret: string }>;
  /** Opens an authenticated agent socket, resolved once open. */
  agentSocket(credentials: { agentId: string; secret: string }): Promise<WebSocket>;
  /** An enrolled agent whose socket said hello and got its welcome: ready to send results. */
  welcomedAgent(client?: string): Promise<{ creds: { agentId: string; secret: string }; socket: WebSocket }>;
  close(): Promise<void>;
}

interface CollectorOptions {
  clock?: Clock; dir?: string; keepDir?: boolean; heartbeatMs?: number; ingestQuota?: AppOptions['ingestQuota']; app?: Omit<Partial<AppOptions>, 'store' | 'clock'>;
  /** The store kind; default the suite's (TEST_STORE). */
  store?: StoreKind;
}

/**
 * A real collector on 127.0.0.1, port 0, on a real store: a SQLite file in a temp dir, or a fresh PostgreSQL
 * database when the suite runs on PostgreSQL (dropped at close).
 */
export async function startCollector(options: CollectorOptions & { store: 'sqlite' }): Promise<TestCollector<SqliteStore>>;
export async function startCollector(options?: CollectorOptions): Promise<TestCollector>;
export async function startCollector(options: CollectorOptions = {}): Promise<TestCollector> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nines-collector-'));
  const opened = await openTestStoreAt(dir, options.store ?? TEST_STORE);
  const store = opened.store;
  const app = await buildApp({ ...options.app, store, clock: options.clock, heartbeatMs: options.heartbeatMs, ingestQuota: options.ingestQuota });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const settings = ['--data-dir', dir, ...(opened.databaseUrl === null ? [] : ['--database-url', opened.databaseUrl])];
  const collector: TestCollector = {
    app, store, url, dir, settings,
    async addAgent(client = 'acme') {
      const token = await createEnrollToken(store, client, Date.now());
      const agentId = newAgentId();
      const secret = newSecret();
      const outcome = await store.enrollAgent(hashSecret(token), { id: agentId, name: `host-${agentId.slice(0, 4)}`, secretHash: hashSecret(secret), platform: 'linux', agentVersion: 'test' }, Date.now());
      if ('problem' in outcome) throw new Error(outcome.problem);
      return { agentId, secret };
    },
    agentSocket({ agentId, secret }) {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${agentId}.${secret}` } });
      return new Promise((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    },
    async welcomedAgent(client) {
      const creds = await collector.addAgent(client);
      const socket = await collector.agentSocket(creds);
      socket.send(JSON.stringify(hello()));
      await nextMessage(socket);
      return { creds, socket };
    },
    async close() {
      await app.close();
      // keepDir: a test restarts a collector in this directory, on this same store.
      await opened.close({ keep: options.keepDir });
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return collector;
}

/** The next message on a socket, parsed. */
export function nextMessage<T = Record<string, unknown>>(socket: WebSocket): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as T));
    socket.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
  });
}

/** Resolves with the close code and reason. */
export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve({ code: -1, reason: 'already closed' });
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

export function hello(overrides: Record<string, unknown> = {}) {
  return {
    type: 'hello', protocol: 1, agentVersion: 'test', hostname: 'pc-01', platform: 'linux', bootId: 'boot-1',
    sentAt: Date.now(), lastSeq: 0, backlog: 0, configVersion: 0, ...overrides,
  };
}

/** A dashboard's live socket on `url` with a session cookie, once open, and the overview rows pushed to it since. */
export function liveOverview(url: string, cookie: string): Promise<{ socket: WebSocket; rows: Array<Extract<LiveMessage, { type: 'overview' }>> }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/live`, { headers: { cookie } });
  const rows: Array<Extract<LiveMessage, { type: 'overview' }>> = [];
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString()) as LiveMessage;
    if (m.type === 'overview') rows.push(m);
  });
  return new Promise((resolve, reject) => (socket.once('open', () => resolve({ socket, rows })), socket.once('error', reject)));
}

/** Whether `what` came true within `boundMs`, looking every 20 ms: for what arrives asynchronously (a pushed row). */
export async function until(what: () => boolean, boundMs = 5_000): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return what();
}

export function result(seq: number, overrides: Partial<Result> = {}): Result {
  const at = Date.now() - 60_000 + seq;
  return { seq, checkId: 'web', kind: 'http', status: 'OK', message: 'HTTP 200 in 5 ms', metrics: { latency_ms: 5 }, startedAt: at, finishedAt: at + 5, ...overrides };
}

/** Sends a results frame over an agent socket and resolves once the collector acknowledged its highest seq. */
export function sendAcked(socket: WebSocket, batch: Result[]): Promise<void> {
  const upTo = Math.max(...batch.map((r) => r.seq));
  const acked = new Promise<void>((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { type: string; upTo?: number };
      if (m.type === 'ack' && m.upTo === upTo) (socket.off('message', on), resolve());
    };
    socket.on('message', on);
  });
  socket.send(JSON.stringify({ type: 'results', batch }));
  return acked;
}

/** An API token for a new user of the role (a client user belongs to `clientId`), as the Authorization header. */
export async function apiTokenHeader(store: Store, role: 'admin' | 'client', clientId: number | null): Promise<{ authorization: string }> {
  const secret = newSecret();
  const user = await store.createUser({ username: `${role}-${clientId}-${secret.slice(0, 6)}`, passwordHash: 'x', role, clientId }, 0);
  await store.createApiToken(hashSecret(secret), user, 'test', 0);
  return { authorization: `Bearer ${secret}` };
}
