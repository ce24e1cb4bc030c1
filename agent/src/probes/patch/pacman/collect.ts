import { stat } from 'node:fs/promises';
import { release } from 'node:os';
import type { PatchCollection, PatchProbe, PatchProbeContext, PatchState } from '../types.ts';
import { binaryOnPath, describeExecFailure } from '../detect.ts';
import { parseCheckupdates } from './parse.ts';

/**
 * Arch removes the running kernel's module directory when it installs a new kernel,
 * so a missing /usr/lib/modules/$(uname -r) means the next module load fails until a reboot.
 */
export async function pacmanRebootRequired(kernelRelease = release(), modulesDir = '/usr/lib/modules'): Promise<boolean> {
  try {
    await stat(`${modulesDir}/${kernelRelease}`);
    return false;
  } catch {
    return true;
  }
}

export function createPacmanProbe(modulesDir = '/usr/lib/modules'): PatchProbe {
  return {
    manager: 'pacman',
    async detect() {
      return (await binaryOnPath('pacman')) !== undefined;
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      if (!(await binaryOnPath('checkupdates'))) {
        return { ok: false, reason: 'checkupdates is not installed (package pacman-contrib); pacman -Sy would change the system, so the agent does not use it' };
      }
      // checkupdates syncs a private copy of the databases, so the answer is current and the system's own db is untouched.
      const run = await ctx.exec('checkupdates', [], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      // exit codes (checkupdates(8)): 0 updates listed, 2 no updates, 1 failure
      if (run.code !== 0 && run.code !== 2) return { ok: false, reason: `checkupdates failed: ${describeExecFailure(run)}` };
      let updates;
      try {
        updates = run.code === 2 ? [] : parseCheckupdates(run.stdout);
      } catch (error) {
        return { ok: false, reason: `cannot read checkupdates output: ${(error as Error).message}` };
      }
      if (run.code === 0 && updates.length === 0) return { ok: false, reason: 'checkupdates exited 0 (updates) but listed none' };
      const now = ctx.clock();
      const state: PatchState = { manager: 'pacman', updates, securityKnown: false, indexUpdatedAt: now, collectedAt: now };
      state.rebootRequired = await pacmanRebootRequired(undefined, modulesDir);
      if (state.rebootRequired) state.rebootReason = `running kernel ${release()} has no modules directory (kernel updated)`;
      return { ok: true, state };
    },
  };
}
