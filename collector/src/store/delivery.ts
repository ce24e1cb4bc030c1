/** Count, lowest and highest stored seq of an agent: count = highest − lowest + 1 means no hole, no duplicate. */
export interface SeqStats {
  count: number;
  lowest: number;
  highest: number;
}

/**
 * What reliable delivery keeps beside results: silence marks (read by `status --json` from another
 * process), which results of a span are stored, what was lost, who is revoked. Reached as `store.delivery`.
 */
export interface DeliveryRepository {
  /** Since when the agent is marked silent; null when it is not (or there is no such agent). */
  silentSince(agentId: string): Promise<number | null>;
  /** Agents currently marked silent, with the time since when. */
  silentAgents(): Promise<Map<string, number>>;
  /** Marks an agent silent since a time, or (null) heard again. */
  setSilentSince(agentId: string, since: number | null): Promise<void>;
  /** The newest stored result with a seq in [fromSeq, toSeq], if any: a gap never hides what was stored. */
  newestStoredIn(agentId: string, fromSeq: number, toSeq: number): Promise<{ seq: number; finishedAt: number } | undefined>;
  /** Results lost: the gaps the agent reported, or every seq neither stored nor in a gap when that is more. */
  lostResults(agentId: string): Promise<number>;
  /** Ids of every revoked agent (the revocation watcher closes their sockets). */
  revokedAgentIds(): Promise<Set<string>>;
  /** Count, lowest and highest seq among the agent's stored results (0s when none). */
  seqStats(agentId: string): Promise<SeqStats>;
}
