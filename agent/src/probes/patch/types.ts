import type { Clock, EpochMs, PatchManager } from '@nines/shared';
import type { ExecFn } from '../../exec.ts';

/** One installed package with a newer version waiting. */
export interface PendingUpdate {
  name: string;
  /** Installed version, when the manager tells it. */
  current?: string;
  /** Version the upgrade would install; absent when the manager only says "kept back". */
  candidate?: string;
  security: boolean;
  /** Repository, suite or category the candidate comes from, as the manager names it. */
  origin?: string;
  /** apt: held back (hold or new dependencies); the upgrade needs a person to act. */
  keptBack?: boolean;
}

/** What a manager reported, before any thresholds: the input of evaluatePatchState. */
export interface PatchState {
  manager: PatchManager;
  updates: PendingUpdate[];
  /** False where the manager publishes no security metadata (apk, pacman): the count is not 0 but unknown. */
  securityKnown: boolean;
  /** Updates the distribution is still rolling out to a share of machines; not pending here yet. */
  deferred?: string[];
  /** undefined: this manager cannot tell (no reboot marker exists for it). */
  rebootRequired?: boolean;
  /** Packages that asked for the reboot (apt's reboot-required.pkgs), or the reason. */
  rebootReason?: string;
  /** When the package index was last refreshed; undefined when the manager asks its server live. */
  indexUpdatedAt?: EpochMs;
  collectedAt: EpochMs;
}

export type PatchCollection = { ok: true; state: PatchState } | { ok: false; reason: string };

/** What a probe may touch; tests pass their own exec (with real fixture output) and clock. */
export interface PatchProbeContext {
  exec: ExecFn;
  clock: Clock;
  signal: AbortSignal;
  /** Budget for one package-manager call. */
  timeoutMs: number;
}

/** One package manager: found by detect, asked by collect. The registry in ./index.ts lists them. */
export interface PatchProbe {
  manager: PatchManager;
  /** Cheap and side-effect free: does this machine use this manager? */
  detect(ctx: PatchProbeContext): Promise<boolean>;
  /**
   * Cheap token that changes when packages are installed or the index is refreshed
   * (file mtimes), so a cached answer is dropped at once after the consultant patches.
   */
  fingerprint?(): Promise<string>;
  /** Asks the manager; never changes the system. Parse failures become { ok: false, reason }. */
  collect(ctx: PatchProbeContext): Promise<PatchCollection>;
}
