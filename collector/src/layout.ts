/**
 * Where the collector finds what ships beside it. This file sits in collector/src/ and the bundle in
 * collector/dist/ (collector/build.mjs): both two levels below the root, so one import.meta.url-relative
 * root serves the sources run through tsx and the bundle (whose modules all share the bundle's URL).
 * The root is the repository, or /app in the Docker image.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by collector/build.mjs; undefined when the sources run through tsx. */
declare const __NINES_COLLECTOR_BUNDLED__: boolean | undefined;

export const BUNDLED: boolean = typeof __NINES_COLLECTOR_BUNDLED__ === 'boolean' && __NINES_COLLECTOR_BUNDLED__;

const here = dirname(fileURLToPath(import.meta.url));

export const ROOT = join(here, '..', '..');

/** The dashboard's built assets (dashboard/build.mjs). */
export const DASHBOARD_DIR = join(ROOT, 'dashboard', 'dist');

/** The agent as one ES module (agent/build.mjs), served at /download/nines-agent.mjs and run by `demo` from the bundle. */
export const AGENT_BUNDLE = join(ROOT, 'agent', 'dist', 'nines-agent.mjs');

/** Where `npm run build` (agent/build.mjs --cross) writes the executables: served as they are, no copy step. */
export const AGENT_EXE_DIR = join(ROOT, 'agent', 'dist', 'exe');

/**
 * The agent `demo` starts: the bundle beside a bundled collector (production has no tsx), the TypeScript
 * entry beside the sources (so a source edit shows without a build).
 */
export const DEMO_AGENT = BUNDLED ? AGENT_BUNDLE : join(ROOT, 'agent', 'bin', 'nines-agent.mjs');

/**
 * better-sqlite3's native addon. The bundle carries better-sqlite3's JavaScript, which cannot find its addon
 * through `bindings` from inside one file; the build copies the addon beside the bundle and the store hands
 * its path to every `new Database` (better-sqlite3's documented `nativeBinding` option). Undefined from the
 * sources: better-sqlite3 finds it in node_modules itself.
 */
export const SQLITE_ADDON: string | undefined = BUNDLED ? join(here, 'better_sqlite3.node') : undefined;

/**
 * PostgreSQL's schema migrations: beside store/postgres/database.ts in the sources, in postgres-migrations/ beside
 * the bundle (collector/build.mjs copies them; SQLite's own go to migrations/ there).
 */
export const POSTGRES_MIGRATIONS_DIR = BUNDLED ? join(here, 'postgres-migrations') : join(ROOT, 'collector', 'src', 'store', 'postgres', 'migrations');
