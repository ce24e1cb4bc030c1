import { withCode, PATCH_DEFAULT_CACHE_TTL_MS, PATCH_DEFAULT_INTERVAL_MS, PATCH_DEFAULT_TIMEOUT_MS, parseDuration, type PatchCheckConfig, type PatchManager } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { errorMessage } from './check.ts';
import { detectPatchManager, patchProbes } from '../probes/patch/index.ts';
import { withPackageManagerLock } from '../probes/patch/mutex.ts';
import { readCachedState, updateFirstSeen, writeCachedState } from '../probes/patch/state.ts';
import { evaluatePatchState, patchThresholds } from '../probes/patch/evaluate.ts';
import type { PatchProbe, PatchProbeContext, PatchState } from '../probes/patch/types.ts';

export interface PatchCheckDeps {
  probes: Record<PatchManager, PatchProbe>;
  platform: NodeJS.Platform;
}

const defaultDeps: PatchCheckDeps = { probes: patchProbes, platform: process.platform };

/** Asks the manager (or reuses the cached answer), then evaluates with the current clock and thresholds. */
export async function runPatchCheck(config: PatchCheckConfig, ctx: CheckContext, deps: PatchCheckDeps = defaultDeps): Promise<CheckOutcome> {
  const probeCtx: PatchProbeContext = { exec: ctx.exec, clock: ctx.clock, signal: ctx.signal, timeoutMs: ctx.timeoutMs };
  const wanted = config.manager ?? 'auto';
  const manager = wanted === 'auto' ? await detectPatchManager(probeCtx, deps.platform, deps.probes) : wanted;
  if (!manager) {
    return { status: 'UNKNOWN', message: 'no supported package manager found (looked for apt-get, dnf, yum, zypper, apk, checkupdates)', ...withCode('patch.no_manager', {}) };
  }
  const probe = deps.probes[manager];
  const ttlMs = config.cacheTtl === undefined ? PATCH_DEFAULT_CACHE_TTL_MS : parseDuration(config.cacheTtl);

  let state: PatchState | undefined;
  const fingerprint = probe.fingerprint ? await probe.fingerprint() : '';
  if (ttlMs > 0) state = await readCachedState(ctx.stateDir, manager, fingerprint, ctx.clock(), ttlMs);
  if (!state) {
    const collection = await withPackageManagerLock(() => {
      // a check that timed out while waiting for the lock must not start its manager afterwards
      if (ctx.signal.aborted) return Promise.resolve({ ok: false as const, reason: 'timed out waiting for another package-manager call' });
      return probe.collect(probeCtx);
    });
    if (!collection.ok) return { status: 'UNKNOWN', message: `${manager}: ${collection.reason}`, ...withCode('patch.probe_failed', { manager, error: collection.reason }) };
    state = collection.state;
    try {
      await writeCachedState(ctx.stateDir, fingerprint, state);
    } catch (error) {
      ctx.log.warn({ err: error }, 'cannot write the patch cache; the next check asks the package manager again');
    }
  }
  let firstSeen;
  try {
    firstSeen = await updateFirstSeen(ctx.stateDir, state);
  } catch (error) {
    const text = `cannot keep first-seen times under ${ctx.stateDir}: ${errorMessage(error)}`;
    return { status: 'UNKNOWN', message: `${manager}: ${text}`, ...withCode('patch.probe_failed', { manager, error: text }) };
  }
  return evaluatePatchState(state, firstSeen, patchThresholds(config), ctx.clock());
}

export const patch = {
  kind: 'patch',
  defaultIntervalMs: PATCH_DEFAULT_INTERVAL_MS,
  defaultTimeoutMs: PATCH_DEFAULT_TIMEOUT_MS,
  run: (config, ctx) => runPatchCheck(config, ctx),
} satisfies CheckDefinition<'patch'>;
