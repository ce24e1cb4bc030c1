/** Wires availability into a running collector: ingest events mark rollups dirty, timers flush and apply retention. */
import type { FastifyBaseLogger } from 'fastify';
import type { CollectorContext } from '../context.ts';
import { markAgent, markResults, flushRollups } from './rollups.ts';
import { applyRetention, retentionFromEnv, type Retention } from './retention.ts';
import { dbOf } from './source.ts';

export interface AvailabilityOptions {
  flushEveryMs?: number;
  retentionEveryMs?: number;
  retention?: Retention;
}

const FLUSH_EVERY_MS = 30_000; // rollups lag raw data by at most this; queries compute dirty spans from raw meanwhile
const RETENTION_EVERY_MS = 6 * 3_600_000; // deleting old rows is not urgent; a few times a day keeps each run small

export function startAvailability(ctx: Pick<CollectorContext, 'store' | 'events' | 'clock'>, log: Pick<FastifyBaseLogger, 'error' | 'info'>, options: AvailabilityOptions = {}) {
  const db = dbOf(ctx.store);
  const retention = options.retention ?? retentionFromEnv();
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      log.error({ err: error }, `availability: ${what} failed`);
    }
  };
  const onResults = ({ agentId, inserted }: { agentId: string; inserted: Array<{ checkId: string; startedAt: number }> }) =>
    guard('marking rollups', () => markResults(db, agentId, inserted));
  const onGap = ({ agentId, gap }: { agentId: string; gap: { from: number; to: number } }) =>
    guard('marking a gap', () => markAgent(db, agentId, gap.from, Math.max(gap.to, gap.from + 1)));
  ctx.events.on('resultsStored', onResults);
  ctx.events.on('gapStored', onGap);
  const flush = () => guard('flushing rollups', () => flushRollups(db));
  const flushTimer = setInterval(flush, options.flushEveryMs ?? FLUSH_EVERY_MS).unref();
  const retentionTimer = setInterval(
    () => guard('retention', () => log.info({ deleted: applyRetention(db, ctx.clock(), retention) }, 'availability: retention applied')),
    options.retentionEveryMs ?? RETENTION_EVERY_MS,
  ).unref();
  return {
    flush,
    stop() {
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      ctx.events.off('resultsStored', onResults);
      ctx.events.off('gapStored', onGap);
      if (db.open) flush();
    },
  };
}
