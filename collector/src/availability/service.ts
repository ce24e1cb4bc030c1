/** Wires availability into a running collector: ingest events mark rollups dirty, timers flush and apply retention. */
import type { FastifyBaseLogger } from 'fastify';
import type { CollectorContext } from '../context.ts';
import { markAgent, markResults, flushRollups } from './rollups.ts';
import { applyRetention, retentionFromEnv, type Retention } from './retention.ts';

export interface AvailabilityOptions {
  flushEveryMs?: number;
  retentionEveryMs?: number;
  retention?: Retention;
}

const FLUSH_EVERY_MS = 30_000; // an hour is rolled up within this of its end; queries compute dirty spans from raw meanwhile
export const FLUSH_SLICE = 200; // dirty hours per transaction on the timer: a few ms to tens of ms of recomputation
const RETENTION_EVERY_MS = 6 * 3_600_000; // deleting old rows is not urgent; a few times a day keeps each run small

export function startAvailability(ctx: Pick<CollectorContext, 'store' | 'events' | 'clock'> & { leadership?: CollectorContext['leadership'] }, log: Pick<FastifyBaseLogger, 'error' | 'info'>, options: AvailabilityOptions = {}) {
  const src = ctx.store;
  const retention = options.retention ?? retentionFromEnv();
  log.info({ retention }, 'availability: retention in force');
  /** Runs `work`, logging its failure instead of passing it on: timers and post-commit listeners have no caller to tell. */
  const guard = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      log.error({ err: error }, `availability: ${what} failed`);
    }
  };
  // Result marks are written in the ingest's own unit of work (resultsInserting): they commit with the results or
  // not at all, so a crash right after the commit cannot leave a late result's hour unmarked, and a frame costs one
  // commit instead of two (issue 18; they were queued and written in a transaction of their own after the I/O phase).
  // Not guarded: a mark that cannot be written fails the frame, which the agent replays.
  const onResults = ({ agentId, inserted }: { agentId: string; inserted: Array<{ checkId: string; startedAt: number; intervalMs?: number }> }) =>
    markResults(src, agentId, inserted);
  // A gap another collector stored was marked by that one.
  const onGap = ({ agentId, gap, remote }: { agentId: string; gap: { from: number; to: number }; remote?: true }) =>
    void (remote || guard('marking a gap', () => markAgent(src, agentId, gap.from, Math.max(gap.to, gap.from + 1))));
  ctx.events.onResultsInserting(onResults);
  ctx.events.on('gapStored', onGap);
  const flush = () => guard('flushing rollups', () => flushRollups(src));
  // On the timer the flush runs in small slices, one unit of work per event-loop turn, so ingest waits for at most
  // one slice; a new timer tick while slices are still running does not start a second chain.
  let slicing: NodeJS.Immediate | Promise<void> | null = null;
  let stopped = false;
  const flushSlice = (): void => {
    let processed = 0;
    slicing = guard('flushing rollups', async () => (processed = await flushRollups(src, { batchSize: FLUSH_SLICE, maxBatches: 1, endedBy: ctx.clock() })))
      .then(() => {
        slicing = processed >= FLUSH_SLICE && !stopped ? setImmediate(flushSlice) : null;
      });
  };
  // The leader of collectors sharing a database rolls up and deletes for all (the marks are in the database); a
  // caller without a leadership (a command opening the store alone) does it itself.
  const leads = () => ctx.leadership?.leading ?? true;
  const flushTimer = setInterval(() => void (leads() && (slicing ??= setImmediate(flushSlice))), options.flushEveryMs ?? FLUSH_EVERY_MS).unref();
  const retentionTimer = setInterval(
    () => void (leads() && guard('retention', async () => log.info({ deleted: await applyRetention(src, ctx.clock(), retention) }, 'availability: retention applied'))),
    options.retentionEveryMs ?? RETENTION_EVERY_MS,
  ).unref();
  return {
    flush,
    /** Stops the timers, lets a running slice finish, and flushes once more while the store is still open. */
    async stop(): Promise<void> {
      stopped = true;
      const running = slicing;
      if (running && !(running instanceof Promise)) clearImmediate(running);
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      ctx.events.offResultsInserting(onResults);
      ctx.events.off('gapStored', onGap);
      if (running instanceof Promise) await running;
      if (src.availability.isOpen()) await flush();
    },
  };
}
