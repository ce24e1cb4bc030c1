/** The automatic-upgrade switch as saved through the API, and who saved it when. */
export interface SavedUpgradeSettings {
  automatic: boolean;
  updatedAt: number;
  updatedBy: string | null;
}

/**
 * Agent upgrade settings saved through the API (migration 018); while saved they replace the YAML's `upgrade:`.
 * Reached as `store.upgradeSettings`.
 */
export interface UpgradeSettingsRepository {
  /** The saved settings, or null when the YAML (or the default, off) applies. */
  get(): Promise<SavedUpgradeSettings | null>;
  /** Saves (replaces) them. */
  put(automatic: boolean, now: number, by: string | null): Promise<void>;
  /** Forgets them (the YAML's apply again); false when there were none. */
  remove(): Promise<boolean>;
}
