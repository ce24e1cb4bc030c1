/** Wires availability into a running collector: ingest events mark rollups dirty, timers flush and apply retention. */
import type { FastifyBaseLogger } from 'fastify';
import type { CollectorContext } from '../context.ts';
import { markAgent, flushRollups, queueResultMarks, writeQueuedMarks } from './rollups.ts';
import { applyRetention, retentionFromEnv, type Retention } from './retention.ts';

export interface AvailabilityOptions {
  flushEveryMs?: number;
  retentionEveryMs?: number;
  retention?: Retention;
}

const FLUSH_EVERY_MS = 30_000; // an hour is rolled up within this of its end; queries compute dirty spans from raw meanwhile
export const FLUSH_SLICE = 200; // dirty hours per transaction on the timer: a few ms to tens of ms of recomputation
const RETENTION_EVERY_MS = 6 * 3_600_000; // deleting old rows is not urgent; a few times a day keeps each run small

export function startAvailability(ctx: Pick<CollectorContext, 'store' | 'events' | 'clock'>, log: Pick<FastifyBaseLogger, 'error' | 'info'>, options: AvailabilityOptions = {}) {
  const src = ctx.store;
  const retention = options.retention ?? retentionFromEnv();
  log.info({ retention }, 'availability: retention in force');
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      log.error({ err: error }, `availability: ${what} failed`);
    }
  };
  // Result marks are queued and written in one transaction after the I/O phase (setImmediate): no write
  // per frame on the ack path, one commit per burst. Readers of the dirty set write the queue first.
  let markPass: NodeJS.Immediate | null = null;
  const markPending = () => {
    markPass = null;
    guard('marking rollups', () => writeQueuedMarks(src));
  };
  const onResults = ({ agentId, inserted }: { agentId: string; inserted: Array<{ checkId: string; startedAt: number }> }) => {
    queueResultMarks(src, agentId, inserted);
    markPass ??= setImmediate(markPending);
  };
  const onGap = ({ agentId, gap }: { agentId: string; gap: { from: number; to: number } }) =>
    guard('marking a gap', () => markAgent(src, agentId, gap.from, Math.max(gap.to, gap.from + 1)));
  ctx.events.on('resultsStored', onResults);
  ctx.events.on('gapStored', onGap);
  const flush = () => guard('flushing rollups', () => flushRollups(src));
  // On the timer the flush runs in small slices, one transaction per event-loop turn, so ingest waits for
  // at most one slice; a new timer tick while slices are still running does not start a second chain.
  let slicing: NodeJS.Immediate | null = null;
  const flushSlice = () => {
    slicing = null;
    let processed = 0;
    guard('flushing rollups', () => (processed = flushRollups(src, { batchSize: FLUSH_SLICE, maxBatches: 1, endedBy: ctx.clock() })));
    if (processed >= FLUSH_SLICE) slicing = setImmediate(flushSlice);
  };
  const flushTimer = setInterval(() => (slicing ??= setImmediate(flushSlice)), options.flushEveryMs ?? FLUSH_EVERY_MS).unref();
  const retentionTimer = setInterval(
    () => guard('retention', () => log.info({ deleted: applyRetention(src, ctx.clock(), retention) }, 'availability: retention applied')),
    options.retentionEveryMs ?? RETENTION_EVERY_MS,
  ).unref();
  return {
    flush,
    stop() {
      if (slicing) clearImmediate(slicing);
      if (markPass) clearImmediate(markPass);
      if (src.availability.isOpen()) markPending();
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      ctx.events.off('resultsStored', onResults);
      ctx.events.off('gapStored', onGap);
      if (src.availability.isOpen()) flush();
    },
  };
}
