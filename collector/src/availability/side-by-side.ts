/**
 * Reads of many checks or hosts side by side. Each check's figure is a chain of a few reads (dirty hours, rollups, raw
 * results, gaps, maintenance); on PostgreSQL every read is a round trip, and a client of 50,000 checks read one chain
 * after the other kept the overview waiting for minutes on the network alone (bench stores, 2026-12-07: no answer in
 * 60 s right after the ingest). On SQLite the reads are in-process, so this only changes the order they run in.
 */

/** Chains in flight at once: enough to keep a pool's connections busy, few enough to leave it to others (pool of 10). */
export const READS_SIDE_BY_SIDE = 6;

/**
 * Chains at once through a readView (availability/rollups.ts), whose reads over the same span in the same turn go as one
 * statement, whatever their checks' agents: 64 checks then cost a few statements, not a few each. Through a view the
 * pool sees about one statement per read kind in flight, not one per chain.
 */
export const GATHERED_READS = 64;

/** `fn` of every item, at most `limit` at a time; the answers in the items' order. */
export async function mapSideBySide<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = READS_SIDE_BY_SIDE): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
