import type { Result } from '@nines/shared';

/** What one agent may send; beyond it a frame is refused whole (nothing of it stored) with CloseCode.QUOTA. */
export interface IngestQuota {
  /** Distinct check ids one agent may have. */
  maxChecksPerAgent: number;
  /** Results per minute (a frame's results count at once). */
  maxResultsPerMinute: number;
  /** Bytes of results frames per minute, as received. */
  maxBytesPerMinute: number;
}

/**
 * Defaults a real client machine never reaches. Live, it runs 10–50 checks at intervals of 10 s or more: at most
 * ~300 results (well under 1 MiB) a minute. After a day offline it replays ~50,000 results (~10 MB) and must be
 * through within a minute (agent/test/delivery/replay.test.ts), which sets the per-minute figures; a longer
 * backlog is not lost beyond them, the agent reconnects with backoff and goes on. The flood this stops (one agent
 * at the frame rate: 25,000 results a second, each a new check with a 1,500-char message) grew the database by
 * 400 MB and 20,000 checks and alerts in 15 s and slowed every tenant: now it stops at 200 checks and 32 MiB.
 */
export const DEFAULT_INGEST_QUOTA: IngestQuota = {
  maxChecksPerAgent: 200, // 4× the busiest real machine (50 checks); each new check id is a check row and an alert row
  maxResultsPerMinute: 60_000, // a day's replay of a busy machine (~50,000) in one minute
  maxBytesPerMinute: 32 * 1024 * 1024, // that replay is ~10 MB; room for package lists in details
};

const WINDOW_MS = 60_000;

interface AgentUsage {
  windowStart: number;
  results: number;
  bytes: number;
  /** Check ids the agent has (stored and admitted); loaded from the store on first use and at each hello. */
  checks: Set<string> | null;
}

export type QuotaVerdict = { ok: true } | { ok: false; limit: keyof IngestQuota; reason: string };

/** Per agent counters in fixed minute windows; kept across reconnects so a reconnect does not reset them. */
export class AgentQuotas {
  private readonly usage = new Map<string, AgentUsage>();

  constructor(
    readonly limits: IngestQuota,
    /** The check ids already stored for an agent (one indexed query of that agent's rows). */
    private readonly storedCheckIds: (agentId: string) => Promise<string[]>,
  ) {}

  /** A new connection: the stored checks are read again (checks may have been deleted meanwhile). */
  reload(agentId: string): void {
    const usage = this.usage.get(agentId);
    if (usage) usage.checks = null;
  }

  /**
   * Whether a results frame fits the agent's quota at `now`; when it does, it is counted. An agent's frames are
   * admitted one at a time, in order (its session handles one frame after the other).
   */
  async admit(agentId: string, batch: readonly Result[], frameBytes: number, now: number): Promise<QuotaVerdict> {
    let usage = this.usage.get(agentId);
    if (!usage) this.usage.set(agentId, (usage = { windowStart: now, results: 0, bytes: 0, checks: null }));
    if (now - usage.windowStart >= WINDOW_MS || now < usage.windowStart) Object.assign(usage, { windowStart: now, results: 0, bytes: 0 });
    const checks = (usage.checks ??= new Set(await this.storedCheckIds(agentId)));
    const { maxChecksPerAgent, maxResultsPerMinute, maxBytesPerMinute } = this.limits;
    if (usage.results + batch.length > maxResultsPerMinute) {
      return { ok: false, limit: 'maxResultsPerMinute', reason: `more than ${maxResultsPerMinute} results a minute` };
    }
    if (usage.bytes + frameBytes > maxBytesPerMinute) {
      return { ok: false, limit: 'maxBytesPerMinute', reason: `more than ${maxBytesPerMinute} bytes of results a minute` };
    }
    const fresh = new Set(batch.map((r) => r.checkId).filter((id) => !checks.has(id)));
    if (checks.size + fresh.size > maxChecksPerAgent) {
      return { ok: false, limit: 'maxChecksPerAgent', reason: `more than ${maxChecksPerAgent} distinct checks (has ${checks.size}, frame adds ${fresh.size})` };
    }
    usage.results += batch.length;
    usage.bytes += frameBytes;
    for (const id of fresh) checks.add(id);
    return { ok: true };
  }
}
