import { BackupProbeError } from '../probe.ts';
import { heartbeatStatePath, readHeartbeatState } from './store.ts';
import type { HeartbeatEvent } from './parse.ts';

/** The job's recorded events, oldest first; none when no script has reported yet. */
export async function collectHeartbeats(stateDir: string, job: string): Promise<HeartbeatEvent[]> {
  try {
    return (await readHeartbeatState(stateDir)).jobs[job] ?? [];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackupProbeError(`cannot read the heartbeat state ${heartbeatStatePath(stateDir)}: ${reason}`, 'UNKNOWN', { cause: error });
  }
}
