import { createRequire } from 'node:module';

/** Replaced by the build with the literal version, so the bundled agent needs no package.json. */
declare const __NINES_AGENT_VERSION__: string | undefined;

export const AGENT_VERSION: string =
  typeof __NINES_AGENT_VERSION__ === 'string'
    ? __NINES_AGENT_VERSION__
    : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
