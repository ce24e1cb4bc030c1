import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdentity } from '../identity.ts';
import { stateDirFrom } from './common.ts';

export const statusHelp = `nines-agent status [--state-dir DIR] [--json]
  Shows whether this agent is enrolled, its collector, connection state, last seq and spool
  backlog, as last written by the running agent (every 10 s).`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'state-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const stateDir = stateDirFrom(values['state-dir']);
  const identity = readIdentity(stateDir);
  let running: Record<string, unknown> | null = null;
  try {
    running = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    running = null;
  }
  const status = { stateDir, enrolled: identity !== null, agentId: identity?.agentId ?? null, collectorUrl: identity?.collectorUrl ?? null, agent: running };
  if (values.json) process.stdout.write(JSON.stringify(status, null, 2) + '\n');
  else {
    process.stdout.write(identity ? `enrolled as ${identity.agentId} with ${identity.collectorUrl}\n` : `not enrolled (no identity in ${stateDir})\n`);
    if (running) {
      process.stdout.write(
        `connection: ${running.connection}${running.lastError ? ` (last error: ${running.lastError})` : ''}\n` +
          `last seq ${running.lastSeq}, acknowledged up to ${running.ackedUpTo}, backlog ${running.backlog}\n` +
          `status written ${new Date(running.updatedAt as number).toISOString()} by pid ${running.pid}\n`,
      );
    }
  }
  return identity ? 0 : 1;
}
