/**
 * Asks a verified build which version it is: written beside the target as nines-agent.probe[.mjs|.exe] (the
 * extension kept: node loads a bundle by it, Windows runs an .exe by it; the program directory
 * is root's, and /tmp may be noexec), run with `--version` as the owner of the state dir (the service user)
 * when the upgrader runs as root, so even a signed build never runs with more privilege than the service gives
 * it; removed afterwards. Impure; apply.ts decides what the answer means.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { UpgradeError, UpgradeErrors } from './errors.ts';
import { nodeSwapFs } from './context.ts';

const PROBE_TIMEOUT_MS = 30_000; // a cold start of a 100 MB executable on a slow disk

export function probeVersionWith(target: string, stateDir: string): (build: Buffer) => Promise<string> {
  return async (build) => {
    const probe = probePath(target);
    nodeSwapFs.writeFile(probe, build, 0o755);
    try {
      const bundle = /\.[cm]?js$/i.test(target);
      const [file, args] = bundle ? [process.execPath, [probe, '--version']] : [probe, ['--version']];
      const owner = process.getuid?.() === 0 ? statSync(stateDir) : null;
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(file, args, { timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, windowsHide: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' }, ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) },
          (error, out) => (error ? reject(error) : resolve(out)));
      });
      return stdout.trim().split('\n')[0]!.trim();
    } catch (error) {
      throw new UpgradeError(UpgradeErrors.VERSION_MISMATCH, `the signed build does not tell its version (\`--version\` failed: ${(error as Error).message}): refused`, { cause: error });
    } finally {
      nodeSwapFs.remove(probe);
    }
  };
}

/** TARGET with `.probe` before its extension: /opt/nines-agent/nines-agent.mjs → nines-agent.probe.mjs. */
export function probePath(target: string): string {
  return target.replace(/(\.[cm]?js|\.exe)?$/i, '.probe$1');
}
