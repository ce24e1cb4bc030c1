import type { SavedSettings, SavedSettingsRepository } from './saved-settings.ts';

/** A channel kind's settings as saved in Management, and who saved them when. */
export type SavedChannelSettings = SavedSettings<'kind', string>;

/**
 * Channel settings saved through the API (migration 014), one row per channel kind; they replace the YAML's
 * `channels.<kind>` for that kind. Reached as `store.channelSettings`.
 */
export type ChannelSettingsRepository = SavedSettingsRepository<'kind', string>;
