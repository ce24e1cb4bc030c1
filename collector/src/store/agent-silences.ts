/** An agent the delivery layer judged silent, or whose 'agent silent' alert is still open. */
export interface SilenceCandidate {
  agentId: string;
  clientId: number;
  /** The delivery layer's verdict (agents.silent_since, set by ingest/silence.ts); null once the agent was heard again. */
  silentSince: number | null;
}

/**
 * Spans in which an agent was silent (migration 004's agent_silences): check results timed inside one are held
 * back, one 'agent silent' alert is told instead. Reached as `store.agentSilences`.
 */
export interface AgentSilenceRepository {
  /** Agents (not revoked) judged silent, and agents whose 'agent silent' alert is not OK. */
  candidates(): Promise<SilenceCandidate[]>;
  /** Opens a silence from `from` (once per agent and start). */
  open(agentId: string, from: number): Promise<void>;
  /** Closes the agent's open silence at `to`. */
  close(agentId: string, to: number): Promise<void>;
  /** Whether the agent was silent at `at`. */
  silentAt(agentId: string, at: number): Promise<boolean>;
  /** The start of the agent's latest silence that began at or before `at`; null when none did. */
  lastStartAtOrBefore(agentId: string, at: number): Promise<number | null>;
}
