/** One snapshot as the churn comparison sees it; a field the tool does not give stays undefined. */
export interface ChurnPoint {
  /** What a person finds it by: restic's short id, borg's archive name. */
  name: string;
  host?: string;
  files?: number;
  sizeBytes?: number;
  /** restic: files changed, added or removed since the snapshot before. */
  changed?: number;
  /** borg: data only this archive holds (its deduplicated size). */
  newBytes?: number;
}
