import type { PatchCollection, PatchProbe, PatchProbeContext, PatchState } from '../types.ts';
import { binaryOnPath, describeExecFailure } from '../detect.ts';
import { parseZypperPatches, parseZypperUpdates } from './parse.ts';

// zypper's exit codes (zypper(8), EXIT CODES): 0 OK; 100 updates needed, 101 security updates needed,
// 102 reboot needed, 103 zypper itself must be updated first, 106 some repositories skipped (data may be partial).
const ZYPPER_OK = new Set([0, 100, 101, 102, 103, 106]);
// --no-refresh: read the repository cache as it is; refreshing is the system's job (zypper's own timer or a person).
const GLOBAL = ['--non-interactive', '--no-refresh', '--xmlout'];

export function createZypperProbe(): PatchProbe {
  return {
    manager: 'zypper',
    async detect() {
      return (await binaryOnPath('zypper')) !== undefined;
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      const opts = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
      const list = await ctx.exec('zypper', [...GLOBAL, 'list-updates'], opts);
      if (list.code === null || !ZYPPER_OK.has(list.code)) return { ok: false, reason: `zypper list-updates failed: ${describeExecFailure(list)}` };
      const patches = await ctx.exec('zypper', [...GLOBAL, 'list-patches', '--category', 'security'], opts);
      if (patches.code === null || !ZYPPER_OK.has(patches.code)) return { ok: false, reason: `zypper list-patches failed: ${describeExecFailure(patches)}` };
      let state: PatchState;
      try {
        const updates = parseZypperUpdates(list.stdout);
        const security = parseZypperPatches(patches.stdout).filter((p) => p.category === 'security' && p.status !== 'applied' && p.status !== 'not-needed');
        // Security fixes arrive as patches, not as package flags: each needed security patch counts as one security update.
        for (const p of security) updates.push({ name: p.name, security: true, origin: `patch${p.severity ? ` (${p.severity})` : ''}` });
        state = { manager: 'zypper', updates, securityKnown: true, collectedAt: ctx.clock() };
      } catch (error) {
        return { ok: false, reason: `cannot read zypper output: ${(error as Error).message}` };
      }
      const reboot = await ctx.exec('zypper', ['--non-interactive', 'needs-rebooting'], opts);
      if (reboot.code === 0) state.rebootRequired = false;
      else if (reboot.code === 102) {
        state.rebootRequired = true;
        state.rebootReason = 'zypper needs-rebooting says so';
      }
      return { ok: true, state };
    },
  };
}
