import { randomBytes } from 'node:crypto';
import type { Coordination, CoordinationHandlers } from '../coordination.ts';

/** One collector owns an SQLite file: it leads from the start, and there is nobody to tell. */
export class SoleCoordination implements Coordination {
  readonly shared = false;
  readonly maxMessageBytes = 0;
  /** Per run: what an earlier run of this collector claimed is told apart from this one's. */
  readonly instance = randomBytes(8).toString('hex');

  async start(handlers: CoordinationHandlers): Promise<void> {
    handlers.leading(true);
    // The collector's earlier run is gone: what it left running is this one's to release.
    await handlers.collectorsLeft?.();
  }

  async publish(): Promise<void> {}

  async stop(): Promise<void> {}
}
