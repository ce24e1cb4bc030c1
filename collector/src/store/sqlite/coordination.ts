import type { Coordination, CoordinationHandlers } from '../coordination.ts';

/** One collector owns an SQLite file: it leads from the start, and there is nobody to tell. */
export class SoleCoordination implements Coordination {
  readonly shared = false;
  readonly maxMessageBytes = 0;
  readonly instance = 'sole';

  async start(handlers: CoordinationHandlers): Promise<void> {
    handlers.leading(true);
  }

  async publish(): Promise<void> {}

  async stop(): Promise<void> {}
}
