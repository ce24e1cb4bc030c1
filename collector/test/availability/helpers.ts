/** Setup for availability tests: a real store (the suite's kind, helpers/test-store.ts), clients, agents and checks created directly. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gap, Result, Status } from '@nines/shared';
import type { Store } from '../../src/store/store.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { rawRun, rawValue } from '../helpers/raw-sql.ts';
import { CollectorEvents } from '../../src/events.ts';
import { startAvailability } from '../../src/availability/service.ts';

export interface AvailabilityFixture {
  store: Store;
  events: CollectorEvents;
  service: ReturnType<typeof startAvailability>;
  client(name: string, timeZone?: string, language?: 'de' | 'en'): Promise<number>;
  agent(clientId: number, name: string): Promise<string>;
  check(agentId: string, checkId: string, intervalMs: number, kind?: string): Promise<void>;
  /** Stores results as ingest does (one transaction) and emits the post-commit event availability listens to. */
  ingest(agentId: string, results: Result[], receivedAt?: number): Promise<void>;
  gap(agentId: string, gap: Omit<Gap, 'type'>): Promise<void>;
  close(): Promise<void>;
}

export async function availabilityFixture(): Promise<AvailabilityFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-availability-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const events = new CollectorEvents();
  const silent = { error: (o: unknown, m?: string) => { throw new Error(`${m}: ${(o as { err?: Error }).err?.stack}`); }, info: () => {} };
  const service = startAvailability({ store, events, clock: () => 0 }, silent, { flushEveryMs: 3_600_000, retentionEveryMs: 3_600_000 });
  let agents = 0;
  return {
    store, events, service,
    async client(name, timeZone = 'Europe/Berlin', language = 'de') {
      return (await rawValue<number>(store, `INSERT INTO clients (name, timezone, language, created_at) VALUES (?, ?, ?, 0) RETURNING id`, name, timeZone, language))!;
    },
    async agent(clientId, name) {
      const id = `agent-${++agents}`;
      await rawRun(store, `INSERT INTO agents (id, client_id, name, secret_hash, created_at, hostname) VALUES (?, ?, ?, 'x', 0, ?)`, id, clientId, name, name);
      return id;
    },
    async check(agentId, checkId, intervalMs, kind = 'http') {
      await rawRun(store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, ?, ?, ?, ?)`, agentId, checkId, kind, checkId, intervalMs);
    },
    async ingest(agentId, results, receivedAt = 0) {
      // As the ingest does: the in-transaction event, then the committed one.
      const outcome = await store.unitOfWork(async () => {
        const stored = await store.insertResults(agentId, results, receivedAt);
        if (stored.newlyStored.length > 0) await events.resultsInserting({ agentId, inserted: stored.newlyStored });
        return stored;
      });
      events.emit('resultsStored', { agentId, clientId: 0, inserted: outcome.newlyStored, receivedAt });
    },
    async gap(agentId, gap) {
      const full: Gap = { type: 'gap', ...gap };
      await store.insertGap(agentId, full);
      events.emit('gapStored', { agentId, clientId: 0, gap: full });
    },
    async close() {
      await service.stop();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function res(seq: number, checkId: string, startedAt: number, status: Status, extra: Partial<Result> = {}): Result {
  return { seq, checkId, kind: 'http', status, message: `${status} at ${new Date(startedAt).toISOString()}`, metrics: {}, startedAt, finishedAt: startedAt, ...extra };
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
