import { EventEmitter } from 'node:events';
import type { Gap, Result } from '@nines/shared';

/** What happened in the collector, after it was committed. Availability, alerting and live updates listen. */
export interface CollectorEventMap {
  /** A batch was stored; `inserted` holds only the results that were new (replayed duplicates are left out). */
  resultsStored: [{ agentId: string; clientId: number; inserted: Result[]; receivedAt: number }];
  /** Per check, the newest stored result that changed its latest state (the live feed shows it). */
  checksChanged: [{ agentId: string; clientId: number; latest: Result[] }];
  agentConnection: [{ agentId: string; clientId: number; connected: boolean; at: number }];
  gapStored: [{ agentId: string; clientId: number; gap: Gap }];
  /** Not heard from since `silentSince` (ingest/silence.ts): its checks are UNKNOWN until it is heard again. */
  agentSilent: [{ agentId: string; clientId: number; silentSince: number; at: number }];
  agentHeard: [{ agentId: string; clientId: number; silentSince: number; at: number }];
  /** A results frame was refused because the agent is over its ingest quota (ingest/quota.ts). */
  agentOverQuota: [{ agentId: string; clientId: number; limit: string; reason: string; at: number }];
}

/** Newly inserted results, inside the unit of work that stores their frame (before the commit). */
export interface ResultsInserting {
  agentId: string;
  inserted: Result[];
}

/**
 * The collector's events. Besides the post-commit ones, one hook runs inside the unit of work that stores a frame,
 * right after its new results were inserted: for writes that must commit with them or not at all (availability's
 * dirty-hour marks). Its listeners are awaited in order; one that rejects fails the frame, which is rolled back
 * and replayed by the agent.
 */
export class CollectorEvents extends EventEmitter<CollectorEventMap> {
  readonly #inserting = new Set<(event: ResultsInserting) => Promise<void>>();

  onResultsInserting(listener: (event: ResultsInserting) => Promise<void>): void {
    this.#inserting.add(listener);
  }

  offResultsInserting(listener: (event: ResultsInserting) => Promise<void>): void {
    this.#inserting.delete(listener);
  }

  /** Runs every resultsInserting listener, one after the other; called inside the frame's unit of work. */
  async resultsInserting(event: ResultsInserting): Promise<void> {
    for (const listener of this.#inserting) await listener(event);
  }
}
