/**
 * Puts a verified build in place of the agent and keeps it only if it connects. Everything it touches comes in
 * through the context (file operations, the service restart, the connected marker, clock and sleep), so tests
 * drive it with real files and real child processes, and the same steps run under systemd, launchd and WinSW.
 *
 *   staged (TARGET.new written, synced) → swapped (TARGET → TARGET.previous, TARGET.new → TARGET)
 *   → restarted → connected (marker with the new version within the bound): done, TARGET.previous kept
 *                → rolling back (TARGET → TARGET.failed, TARGET.previous → TARGET, restart)
 *                  → rolled back (the previous version connected) | rollback failed (it did not either)
 *
 * Renames, not copies: a rename within one directory is atomic on POSIX, and on Windows a running .exe cannot
 * be overwritten or deleted but can be renamed, so the running agent's file moves aside instead.
 */
import { UpgradeError, UpgradeErrors } from './errors.ts';

export type SwapState = 'staged' | 'swapped' | 'restarted' | 'connected' | 'rolling-back' | 'rolled-back' | 'rollback-failed';

export interface SwapFs {
  /** Creates or replaces the file with these bytes and this mode, synced to disk before it returns. */
  writeFile(path: string, data: Buffer, mode: number): void;
  rename(from: string, to: string): void;
  /** Removes a file; a missing one is fine. */
  remove(path: string): void;
}

export interface SwapContext {
  fs: SwapFs;
  /** Restarts the agent's service so it runs whatever is at the target now. */
  restart(): Promise<void>;
  /** The version in the connected marker, or null when none was written since clearMarker(). */
  connectedVersion(): string | null;
  clearMarker(): void;
  clock: () => number;
  sleep(ms: number): Promise<void>;
  /** Progress lines for the person (or the log) watching. */
  say(line: string): void;
}

export interface SwapPlan {
  /** The agent file the service runs (executable, or the .mjs bundle run by node). */
  target: string;
  build: Buffer;
  version: string;
  /** The version running now, which a rollback waits for. */
  previousVersion: string;
  /** How long the new build has to connect before it is rolled back. */
  connectTimeoutMs: number;
  pollMs?: number;
}

export interface SwapOutcome {
  state: Extract<SwapState, 'connected' | 'rolled-back' | 'rollback-failed'>;
  /** Every state passed through, in order (for the log and the tests). */
  states: SwapState[];
  /** Why the new build was rolled back, when it was. */
  reason?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 120_000; // a service start, a TLS handshake and a collector busy replaying others
const DEFAULT_POLL_MS = 250;

/** Swaps, restarts and waits; rolls back on no connection. Throws SWAP (target untouched) when the files cannot be put in place. */
export async function swapAndVerify(ctx: SwapContext, plan: SwapPlan): Promise<SwapOutcome> {
  const { fs } = ctx;
  const staged = `${plan.target}.new`;
  const previous = `${plan.target}.previous`;
  const failed = `${plan.target}.failed`;
  const states: SwapState[] = [];
  const enter = (state: SwapState) => states.push(state);

  try {
    fs.remove(staged);
    fs.writeFile(staged, plan.build, 0o755);
    fs.remove(previous); // the build before the last upgrade: one step back is kept, not a history
  } catch (error) {
    safely(() => fs.remove(staged));
    throw new UpgradeError(UpgradeErrors.SWAP, `cannot stage the new build beside ${plan.target}: ${(error as Error).message}`, { cause: error });
  }
  enter('staged');
  try {
    fs.rename(plan.target, previous);
  } catch (error) {
    safely(() => fs.remove(staged));
    throw new UpgradeError(UpgradeErrors.SWAP, `cannot move ${plan.target} aside: ${(error as Error).message}`, { cause: error });
  }
  try {
    fs.rename(staged, plan.target);
  } catch (error) {
    fs.rename(previous, plan.target); // back as it was; if even this fails the error below says where the old one is
    safely(() => fs.remove(staged));
    throw new UpgradeError(UpgradeErrors.SWAP, `cannot put the new build at ${plan.target}: ${(error as Error).message}`, { cause: error });
  }
  enter('swapped');
  ctx.say(`installed ${plan.version} at ${plan.target} (the previous build is ${previous})`);

  const reason = await restartAndWait(ctx, plan.version, plan);
  if (reason === null) {
    enter('restarted');
    enter('connected');
    ctx.say(`${plan.version} is running and connected to the collector`);
    return { state: 'connected', states };
  }
  enter('restarted');
  enter('rolling-back');
  ctx.say(`${plan.version} ${reason}: rolling back to ${plan.previousVersion}`);
  try {
    fs.remove(failed);
    fs.rename(plan.target, failed);
    fs.rename(previous, plan.target);
  } catch (error) {
    enter('rollback-failed');
    return { state: 'rollback-failed', states, reason: `${reason}; and the previous build could not be put back (${(error as Error).message}): it is at ${previous}` };
  }
  const again = await restartAndWait(ctx, plan.previousVersion, plan);
  if (again === null) {
    enter('rolled-back');
    ctx.say(`rolled back: ${plan.previousVersion} is running and connected again (the refused build is ${failed})`);
    return { state: 'rolled-back', states, reason };
  }
  enter('rollback-failed');
  return { state: 'rollback-failed', states, reason: `${reason}; after the rollback ${plan.previousVersion} ${again}` };
}

/** null when `version` connected within the bound, else why not. */
async function restartAndWait(ctx: SwapContext, version: string, plan: SwapPlan): Promise<string | null> {
  ctx.clearMarker();
  try {
    await ctx.restart();
  } catch (error) {
    return `could not be started (${(error as Error).message})`;
  }
  const deadline = ctx.clock() + plan.connectTimeoutMs;
  const pollMs = plan.pollMs ?? DEFAULT_POLL_MS;
  // Bounded by the deadline: at most connectTimeoutMs / pollMs + 1 looks at the marker.
  for (;;) {
    if (ctx.connectedVersion() === version) return null;
    if (ctx.clock() >= deadline) return `did not connect to the collector within ${Math.round(plan.connectTimeoutMs / 1000)} s`;
    await ctx.sleep(pollMs);
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // cleanup of a file that may not exist; the error that led here is the one to report
  }
}
