/** A channel kind's settings as saved in Management, and who saved them when. */
export interface SavedChannelSettings {
  kind: string;
  settings: Record<string, unknown>;
  updatedAt: number;
  updatedBy: string | null;
}

/**
 * Channel settings saved through the API (migration 014), one row per channel kind; they replace the YAML's
 * `channels.<kind>` for that kind. Validated against the channel's settings schema before they get here.
 * Reached as `store.channelSettings`.
 */
export interface ChannelSettingsRepository {
  /** Every saved kind, by kind. */
  list(): SavedChannelSettings[];
  /** Saves (replaces) the settings of a kind. */
  put(kind: string, settings: Record<string, unknown>, now: number, by: string | null): void;
  /** Forgets a kind's saved settings (the YAML's apply again); false when there were none. */
  remove(kind: string): boolean;
}
