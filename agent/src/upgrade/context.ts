/** The real world for swap.ts: node:fs with fsync, the connected marker in the state dir, wall clock and timers. */
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { clearConnectedMarker, readConnectedMarker } from './marker.ts';
import type { SwapContext, SwapFs } from './swap.ts';

export const nodeSwapFs: SwapFs = {
  writeFile(path, data, mode) {
    const fd = openSync(path, 'w', mode);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      fsyncSync(fd); // on disk before the rename makes it the agent: a power cut must not leave an empty executable
    } finally {
      closeSync(fd);
    }
    chmodSync(path, mode); // the umask may have narrowed the mode given to open
  },
  rename: renameSync,
  remove(path) {
    rmSync(path, { force: true });
  },
};

export function nodeSwapContext(stateDir: string, restart: () => Promise<void>, say: (line: string) => void): SwapContext {
  return {
    fs: nodeSwapFs,
    restart,
    connectedVersion: () => readConnectedMarker(stateDir)?.version ?? null,
    clearMarker: () => clearConnectedMarker(stateDir),
    clock: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    say,
  };
}
