/**
 * Settings saved through the API that replace a part of the YAML (a channel kind's `channels.<kind>`, a part of
 * `reports:`): one row per key, the settings as JSON, who saved them when. Validated against the part's schema
 * before they get here. One shape for every such table: `keyName` is the key's field in the rows ("kind", "part").
 */
export type SavedSettings<KeyName extends string, Key extends string> = { [P in KeyName]: Key } & {
  settings: Record<string, unknown>;
  updatedAt: number;
  updatedBy: string | null;
};

export interface SavedSettingsRepository<KeyName extends string, Key extends string> {
  /** Every saved key, in key order. */
  list(): Promise<Array<SavedSettings<KeyName, Key>>>;
  /** Saves (replaces) the settings of a key. */
  put(key: Key, settings: Record<string, unknown>, now: number, by: string | null): Promise<void>;
  /** Forgets a key's saved settings (the YAML's apply again); false when there were none. */
  remove(key: Key): Promise<boolean>;
}
