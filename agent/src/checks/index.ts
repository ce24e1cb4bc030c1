import type { CheckKind } from '@nines/shared';
import type { CheckDefinition } from './check.ts';
import { http } from './http.ts';
import { tcp } from './tcp.ts';
import { disk } from './disk.ts';
import { backup } from './backup.ts';
import { backupIntegrity } from './backup-integrity.ts';
import { backupChurn } from './backup-churn.ts';
import { dns } from './dns.ts';
import { tls } from './tls.ts';
import { ping } from './ping.ts';
import { service } from './service.ts';
import { processCheck } from './process.ts';
import { memory } from './memory.ts';
import { load } from './load.ts';
import { command } from './command.ts';
import { patch } from './patch.ts';
import { smart } from './smart.ts';
import { firewall } from './firewall.ts';
import { logins } from './logins.ts';
import { antivirus } from './antivirus.ts';
import { encryption } from './encryption.ts';
import { admins } from './admins.ts';
import { eventlog } from './eventlog.ts';

/** Every check kind the agent runs, one line each; a kind in shared/ without a line here is a type error. */
export const checkRegistry = {
  http,
  tcp,
  disk,
  backup,
  'backup-integrity': backupIntegrity,
  'backup-churn': backupChurn,
  dns,
  tls,
  ping,
  service,
  process: processCheck,
  memory,
  load,
  command,
  patch,
  smart,
  firewall,
  logins,
  antivirus,
  encryption,
  admins,
  eventlog,
} satisfies { [K in CheckKind]: CheckDefinition<K> };

export function checkDefinition<K extends CheckKind>(kind: K): CheckDefinition<K> {
  return checkRegistry[kind] as unknown as CheckDefinition<K>;
}
