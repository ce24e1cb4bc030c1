import type { PatchCollection, PatchProbe, PatchProbeContext, PatchState } from '../types.ts';
import { binaryOnPath, describeExecFailure } from '../detect.ts';
import { parseCheckUpdate, parseSecurityAdvisories, toPendingUpdates } from './parse.ts';

// --cacheonly: use the metadata dnf-makecache.timer keeps; refreshing it is the system's job, not the monitor's.
const CHECK_UPDATE = ['-q', '--cacheonly', 'check-update'];
const SECURITY = ['-q', '--cacheonly', 'updateinfo', 'list', '--security'];

export function createDnfProbe(binary: 'dnf' | 'yum'): PatchProbe {
  return {
    manager: binary,
    async detect() {
      return (await binaryOnPath(binary)) !== undefined;
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      const opts = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
      const check = await ctx.exec(binary, CHECK_UPDATE, opts);
      // check-update: 0 = nothing pending, 100 = updates listed, anything else failed
      if (check.code !== 0 && check.code !== 100) return { ok: false, reason: `${binary} check-update failed: ${describeExecFailure(check)}` };
      let updates;
      try {
        updates = check.code === 0 ? [] : parseCheckUpdate(check.stdout);
      } catch (error) {
        return { ok: false, reason: `cannot read ${binary} check-update output: ${(error as Error).message}` };
      }
      if (check.code === 100 && updates.length === 0) {
        return { ok: false, reason: `${binary} check-update exited 100 (updates available) but listed none` };
      }
      let security = new Set<string>();
      if (updates.length > 0) {
        const advisories = await ctx.exec(binary, SECURITY, opts);
        if (advisories.code !== 0) return { ok: false, reason: `${binary} updateinfo failed: ${describeExecFailure(advisories)}` };
        security = parseSecurityAdvisories(advisories.stdout);
      }
      const state: PatchState = { manager: binary, updates: toPendingUpdates(updates, security), securityKnown: true, collectedAt: ctx.clock() };
      const restart = await ctx.exec('needs-restarting', ['-r'], opts);
      // needs-restarting -r: 0 = no reboot needed, 1 = reboot needed; missing (dnf-utils not installed) = cannot tell
      if (restart.code === 0) state.rebootRequired = false;
      else if (restart.code === 1) {
        state.rebootRequired = true;
        const why = restart.stdout.split(/\r?\n/).filter((l) => /^\s*\*/.test(l)).map((l) => l.trim().slice(2)).join(', ');
        state.rebootReason = why ? `updated: ${why}` : 'needs-restarting -r says so';
      }
      return { ok: true, state };
    },
  };
}
