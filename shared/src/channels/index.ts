/** Target (per contact point) and settings (collector-wide, `channels.<kind>` in the YAML) shapes of each channel. */
export * from './email.ts';
export * from './webhook.ts';
export * from './ntfy.ts';
export * from './telegram.ts';
export * from './teams.ts';
export * from './slack.ts';
export * from './pushover.ts';
export * from './gotify.ts';
export * from './signal.ts';
export * from './apprise.ts';
export * from './config.ts';
