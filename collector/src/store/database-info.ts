/** Facts about the database itself (migration 016). Reached as `store.databaseInfo`. */
export interface DatabaseInfoRepository {
  /**
   * Since when the database exists (ms UTC). Fixed on the first call: the oldest client, agent, user or job run it
   * holds, or `now` for an empty one (never later than `now`); later calls return the same.
   */
  since(now: number): Promise<number>;
}
