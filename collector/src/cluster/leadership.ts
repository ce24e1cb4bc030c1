import { EventEmitter } from 'node:events';

/**
 * Whether this collector leads the ones sharing its database: the leader alone runs alerting and delivery, the
 * rollups and retention, the silence verdicts and the schedules; every collector ingests and serves. The store's
 * coordination decides it (store/coordination.ts); on SQLite the one collector leads from the start.
 */
export class Leadership extends EventEmitter<{ change: [leading: boolean] }> {
  #leading = false;
  /** When this collector last became leader or stopped being it. */
  changedAt: number | null = null;

  get leading(): boolean {
    return this.#leading;
  }

  set(leading: boolean, at: number): void {
    if (leading === this.#leading) return;
    this.#leading = leading;
    this.changedAt = at;
    this.emit('change', leading);
  }
}
