/**
 * STATE_DIR/connected.json: written by a running agent each time the collector accepts its hello (the welcome),
 * with its version. An upgrade clears it before the restart and waits for the new version to write it: that is
 * the proof the new build runs and connects, and its absence within the bound is what triggers the rollback.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONNECTED_MARKER = 'connected.json';

export interface ConnectedMarker {
  version: string;
  at: number;
  pid: number;
}

export function writeConnectedMarker(stateDir: string, marker: ConnectedMarker): void {
  const path = join(stateDir, CONNECTED_MARKER);
  writeFileSync(path + '.tmp', JSON.stringify(marker) + '\n');
  renameSync(path + '.tmp', path);
}

/** null when absent or unreadable (half-written files cannot happen: it is renamed into place). */
export function readConnectedMarker(stateDir: string): ConnectedMarker | null {
  try {
    const value = JSON.parse(readFileSync(join(stateDir, CONNECTED_MARKER), 'utf8')) as Partial<ConnectedMarker>;
    return typeof value.version === 'string' && typeof value.at === 'number' && typeof value.pid === 'number' ? (value as ConnectedMarker) : null;
  } catch {
    return null;
  }
}

export function clearConnectedMarker(stateDir: string): void {
  rmSync(join(stateDir, CONNECTED_MARKER), { force: true });
}
