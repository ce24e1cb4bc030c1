import { createRequire } from 'node:module';

/** Replaced by collector/build.mjs with the literal version, so the bundle needs no package.json. */
declare const __NINES_COLLECTOR_VERSION__: string | undefined;

export const VERSION: string =
  typeof __NINES_COLLECTOR_VERSION__ === 'string'
    ? __NINES_COLLECTOR_VERSION__
    : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
