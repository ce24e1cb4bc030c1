import { EventEmitter } from 'node:events';
import type { Gap, Result } from '@nines/shared';

/** What happened in the collector, after it was committed (but resultsInserting). Availability, alerting and live updates listen. */
export interface CollectorEventMap {
  /**
   * Inside the transaction that stores a frame, right after its new results were inserted (before the commit): for
   * writes that must commit with them or not at all (availability's dirty-hour marks). A listener that throws fails
   * the frame: it is rolled back and the agent replays it.
   */
  resultsInserting: [{ agentId: string; inserted: Result[] }];
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

export class CollectorEvents extends EventEmitter<CollectorEventMap> {}
