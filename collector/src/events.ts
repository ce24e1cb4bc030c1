import { EventEmitter } from 'node:events';
import type { Gap, Result } from '@nines/shared';

/**
 * Set on an event another collector sharing the database committed (cluster/bridge.ts re-emits it here): views
 * follow it like their own, while what the event's committer already wrote (marks, counters) is not written again.
 */
export type Remote = { remote?: true };

/** What happened in the collector, after it was committed. Availability, alerting and live updates listen. */
export interface CollectorEventMap {
  /**
   * A batch was stored; `inserted` holds only the results that were new (replayed duplicates are left out). From
   * another collector `inserted` is empty and `remote` says how many there were and the earliest start.
   */
  resultsStored: [{ agentId: string; clientId: number; inserted: Result[]; receivedAt: number; remote?: { count: number; from: number } }];
  /** Per check, the newest stored result that changed its latest state (the live feed shows it). */
  checksChanged: [{ agentId: string; clientId: number; latest: Result[] } & Remote];
  /** `released`: a mark the leader released for a collector that is gone (no socket of this one closed). */
  agentConnection: [{ agentId: string; clientId: number; connected: boolean; at: number; released?: true } & Remote];
  gapStored: [{ agentId: string; clientId: number; gap: Gap } & Remote];
  /** Not heard from since `silentSince` (ingest/silence.ts): its checks are UNKNOWN until it is heard again. */
  agentSilent: [{ agentId: string; clientId: number; silentSince: number; at: number } & Remote];
  agentHeard: [{ agentId: string; clientId: number; silentSince: number; at: number } & Remote];
  /** An agent's checks were assigned anew (config version `version`): the collector holding its socket pushes them. */
  configAssigned: [{ agentId: string; clientId: number; version: number } & Remote];
  /** Settings saved through the API that a collector holds built (channels; report settings and schedules). */
  settingsChanged: [{ part: 'channels' | 'reports'; at: number } & Remote];
  /** The automatic-upgrade setting changed: every collector tells the agents connected to it. */
  upgradeSettingChanged: [{ at: number } & Remote];
  /** A results frame was refused because the agent is over its ingest quota (ingest/quota.ts). */
  agentOverQuota: [{ agentId: string; clientId: number; limit: string; reason: string; at: number } & Remote];
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
