import type { PatchCollection, PatchProbe, PatchProbeContext } from '../types.ts';
import { describeExecFailure } from '../detect.ts';
import { parseSoftwareUpdateList } from './parse.ts';

export function createMacosProbe(): PatchProbe {
  return {
    manager: 'macos',
    async detect() {
      return process.platform === 'darwin';
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      // asks Apple's catalog live; -l only lists, it never downloads or installs
      const run = await ctx.exec('/usr/sbin/softwareupdate', ['-l'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (run.code !== 0) return { ok: false, reason: `softwareupdate -l failed: ${describeExecFailure(run)}` };
      try {
        const list = parseSoftwareUpdateList(`${run.stdout}\n${run.stderr}`);
        // An update that restarts on install is not a reboot that is due now; macOS has no pending-reboot marker we can read.
        return { ok: true, state: { manager: 'macos', updates: list.updates, securityKnown: true, collectedAt: ctx.clock() } };
      } catch (error) {
        return { ok: false, reason: `cannot read softwareupdate -l output: ${(error as Error).message}` };
      }
    },
  };
}
