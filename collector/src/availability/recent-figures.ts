/**
 * How long a check's 24 h availability is reused. One minute more or less of a 24 h window moves the figure by
 * at most 0.07 %, so a figure this old reads the same; computing it costs ~0.3 ms per check (rollup rows plus
 * the running hour from raw), which for 1,000 checks is ~300 ms per request without this.
 */
export const RECENT_FIGURE_TTL_MS = 30_000;

interface Entry {
  at: number;
  expiresAt: number;
  /** The check's state when computed: a new state recomputes at once (the figure starts to move). */
  status: string | null;
  value: number | null;
}

/** An integer in [0, 2^32) from the key, so each check expires at its own offset and recomputes spread out. */
function spread(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Checks' recent availability figures (GET /api/v1/status and a client's page), each reused for between half
 * and all of RECENT_FIGURE_TTL_MS — staggered by check, so after a quiet spell the recomputation spreads over
 * many requests instead of landing on one — and recomputed at once when the check's state changed or a gap was
 * stored for its agent.
 */
export class RecentFigures {
  private readonly entries = new Map<string, Entry>();

  async get(key: string, status: string | null, now: number, compute: () => Promise<number | null>): Promise<number | null> {
    const hit = this.entries.get(key);
    if (hit && hit.status === status && now >= hit.at && now < hit.expiresAt) return hit.value;
    const value = await compute();
    const ttl = RECENT_FIGURE_TTL_MS / 2 + Math.floor((spread(key) / 2 ** 32) * (RECENT_FIGURE_TTL_MS / 2));
    this.entries.set(key, { at: now, expiresAt: now + ttl, status, value });
    return value;
  }

  /** Drops the figures whose key starts with `prefix` (an agent's `${agentId}/`): a gap moves them more than time does. */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
