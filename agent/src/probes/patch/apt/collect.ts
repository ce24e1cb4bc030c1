import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PatchCollection, PatchProbe, PatchProbeContext, PatchState } from '../types.ts';
import { aptErrorReason, parseAptSimulation, parseRebootRequiredPkgs, type AptSimulation } from './parse.ts';
import { isSecuritySource, parseAptPolicy } from './policy.ts';
import { binaryOnPath, describeExecFailure } from '../detect.ts';

/** Where apt keeps what we read; tests point these at temporary directories. */
export interface AptPaths {
  listsDir: string;
  rebootRequired: string;
  dpkgStatus: string;
}

export const DEFAULT_APT_PATHS: AptPaths = {
  listsDir: '/var/lib/apt/lists',
  rebootRequired: '/var/run/reboot-required',
  dpkgStatus: '/var/lib/dpkg/status',
};

// Simulation only: nothing is installed, and Debug::NoLocking lets it run beside apt-daily or a person's apt.
export const APT_SIMULATE_ARGS = ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'] as const;

/**
 * When the index was last refreshed: the newest (In)Release file in the lists directory.
 * apt gives downloaded files the server's Last-Modified time, and -security/-updates change
 * daily, so on a box that runs `apt update` this is within a day of the last refresh.
 */
export async function aptIndexUpdatedAt(listsDir: string): Promise<number | undefined> {
  let newest: number | undefined;
  for (const name of await readdir(listsDir)) {
    if (!/_(In)?Release$/.test(name)) continue;
    const { mtimeMs } = await stat(join(listsDir, name));
    newest = newest === undefined ? mtimeMs : Math.max(newest, mtimeMs);
  }
  return newest === undefined ? undefined : Math.floor(newest);
}

/** Debian's convention (update-notifier-common, needrestart, unattended-upgrades): the file exists iff a reboot is due. */
export async function aptRebootRequired(path: string): Promise<Pick<PatchState, 'rebootRequired' | 'rebootReason'>> {
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rebootRequired: false };
    throw error;
  }
  try {
    const pkgs = parseRebootRequiredPkgs(await readFile(`${path}.pkgs`, 'utf8'));
    return { rebootRequired: true, rebootReason: pkgs.length ? `updated: ${pkgs.join(', ')}` : 'reboot-required is set' };
  } catch {
    return { rebootRequired: true, rebootReason: 'reboot-required is set' };
  }
}

/**
 * apt 2.6 (Debian 12) lists a phased update as "kept back", like a hold. apt-cache policy tells
 * them apart ("(phased N%)" on the candidate) and names the candidate's origin, so a held-back
 * security update still counts as security. When policy fails, the packages stay kept back.
 */
async function resolveKeptBack(simulation: AptSimulation, ctx: PatchProbeContext): Promise<void> {
  const keptBack = simulation.updates.filter((u) => u.keptBack);
  if (keptBack.length === 0) return;
  const run = await ctx.exec('apt-cache', ['policy', ...keptBack.map((u) => u.name)], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code !== 0) return;
  applyAptPolicy(simulation, parseAptPolicy(run.stdout));
}

export function applyAptPolicy(simulation: AptSimulation, policies: ReturnType<typeof parseAptPolicy>): void {
  simulation.updates = simulation.updates.filter((u) => {
    const policy = u.keptBack ? policies.get(u.name) : undefined;
    if (!policy) return true;
    if (policy.candidatePhased) {
      simulation.deferred.push(u.name);
      return false;
    }
    if (policy.installed) u.current = policy.installed;
    if (policy.candidate) u.candidate = policy.candidate;
    u.security = policy.candidateSources.some(isSecuritySource);
    if (policy.candidateSources.length) u.origin = policy.candidateSources.join(', ');
    return true;
  });
}

export function createAptProbe(paths: AptPaths = DEFAULT_APT_PATHS): PatchProbe {
  return {
    manager: 'apt',
    async detect() {
      return (await binaryOnPath('apt-get')) !== undefined;
    },
    async fingerprint() {
      const times = await Promise.all(
        [paths.dpkgStatus, paths.listsDir, paths.rebootRequired].map((p) => stat(p).then((s) => Math.floor(s.mtimeMs), () => 0)),
      );
      return times.join(':');
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      const run = await ctx.exec('apt-get', APT_SIMULATE_ARGS, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (run.code !== 0) {
        const reason = run.failure ? describeExecFailure(run) : (aptErrorReason(run.stderr) ?? `exit code ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
        return { ok: false, reason: `apt-get -s upgrade failed: ${reason}` };
      }
      let simulation;
      try {
        simulation = parseAptSimulation(run.stdout);
      } catch (error) {
        return { ok: false, reason: `cannot read apt-get -s upgrade output: ${(error as Error).message}` };
      }
      await resolveKeptBack(simulation, ctx);
      const state: PatchState = {
        manager: 'apt',
        updates: simulation.updates,
        securityKnown: true,
        deferred: simulation.deferred,
        collectedAt: ctx.clock(),
        ...(await aptRebootRequired(paths.rebootRequired)),
      };
      try {
        const indexUpdatedAt = await aptIndexUpdatedAt(paths.listsDir);
        if (indexUpdatedAt !== undefined) state.indexUpdatedAt = indexUpdatedAt;
      } catch {
        // no lists directory: the index age stays unknown, and so says the message
      }
      return { ok: true, state };
    },
  };
}
