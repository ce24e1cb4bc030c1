/**
 * What the stored results of patch checks tell over time, beyond the latest state: since when security updates
 * have been pending. Reached as `store.patchHistory`.
 */
export interface PatchHistoryRepository {
  /**
   * The start of the newest unbroken run of stored results of this check that report security updates pending
   * (metric `security` > 0): the first such result after the last one reporting none. null when the newest result
   * reports none, or the check has no results. Bounded below by raw-result retention.
   */
  securityPendingSince(agentId: string, checkId: string): Promise<number | null>;
}
