import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PatchCollection, PatchProbe, PatchProbeContext, PatchState } from '../types.ts';
import { binaryOnPath, describeExecFailure } from '../detect.ts';
import { parseApkVersion } from './parse.ts';

export const APK_INDEX_DIR = '/var/cache/apk'; // APKINDEX.<hash>.tar.gz, written by `apk update`

async function newestIndex(dir: string): Promise<number | undefined> {
  let newest: number | undefined;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!/^APKINDEX\..*\.tar\.gz$/.test(name)) continue;
    const { mtimeMs } = await stat(join(dir, name));
    newest = Math.max(newest ?? 0, Math.floor(mtimeMs));
  }
  return newest;
}

export function createApkProbe(indexDir = APK_INDEX_DIR): PatchProbe {
  return {
    manager: 'apk',
    async detect() {
      return (await binaryOnPath('apk')) !== undefined;
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      // --no-network: compare against the indexes already on disk; `apk update` is the system's job.
      const run = await ctx.exec('apk', ['--no-network', 'version', '-l', '<'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (run.code !== 0) return { ok: false, reason: `apk version failed: ${describeExecFailure(run)}` };
      let updates;
      try {
        updates = parseApkVersion(run.stdout);
      } catch (error) {
        return { ok: false, reason: `cannot read apk version output: ${(error as Error).message}` };
      }
      // Alpine publishes no per-package security flag in its indexes: security stays unknown, never "0".
      const state: PatchState = { manager: 'apk', updates, securityKnown: false, collectedAt: ctx.clock() };
      const indexUpdatedAt = await newestIndex(indexDir);
      if (indexUpdatedAt !== undefined) state.indexUpdatedAt = indexUpdatedAt;
      return { ok: true, state };
    },
  };
}
