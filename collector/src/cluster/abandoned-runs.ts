import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '@nines/shared';
import type { JobRunRepository } from '../store/job-runs.ts';

/**
 * The leader's part when a collector is gone: the scheduled slots it was running (a monthly report killed half-way)
 * are failed, so that a scheduler — this one or another collector's — retries them with backoff within their
 * look-back instead of leaving them claimed forever. Client reports the dead run had sent are not sent again (each
 * is recorded per recipient before it goes, report_sends); the weekly overview may reach a mailbox once more, under
 * the same Message-ID.
 */
export async function failAbandonedRuns(runs: JobRunRepository, clock: Clock, log: FastifyBaseLogger): Promise<void> {
  try {
    const failed = await runs.failAbandoned(clock());
    if (failed > 0) log.warn({ runs: failed }, 'scheduled runs whose collector stopped in them are failed and will be retried');
  } catch (error) {
    log.warn({ err: error }, 'could not fail the scheduled runs of collectors that are gone');
  }
}
