import type { BackupTool } from '@nines/shared';
import type { BackupProbe } from './probe.ts';
import { fileAge } from './file-age/probe.ts';
import { restic } from './restic/probe.ts';
import { borg } from './borg/probe.ts';
import { pbs } from './pbs/probe.ts';
import { timemachine } from './timemachine/probe.ts';
import { wsb } from './wsb/probe.ts';
import { veeam } from './veeam/probe.ts';
import { heartbeat } from './heartbeat/probe.ts';

export type { BackupProbe } from './probe.ts';
export { startHeartbeatListener, type HeartbeatListener, type HeartbeatListenerOptions } from './heartbeat/listener.ts';

/** Every backup tool, one line each; a tool in shared/src/checks/backup.ts without a line here is a type error. */
export const backupProbes = {
  'file-age': fileAge,
  restic,
  borg,
  pbs,
  timemachine,
  wsb,
  veeam,
  heartbeat,
} satisfies { [T in BackupTool]: BackupProbe<T> };

export function backupProbe<T extends BackupTool>(tool: T): BackupProbe<T> {
  return backupProbes[tool] as unknown as BackupProbe<T>;
}
