import { parseArgs } from 'node:util';
import { openStore, settingsFrom, settingsOptions, UsageError, SETTINGS_HELP } from './common.ts';
import { REVOCATION_SWEEP_MS, revokeAgent } from '../ingest/revocation.ts';

export const agentHelp = `nines-collector agent revoke <agent id> [settings]
nines-collector agent list [--json] [settings]
  revoke: refuses the agent's credential from now on (its stored results stay). A running collector
          closes the agent's open socket within ${REVOCATION_SWEEP_MS / 1000} s (it sweeps the database for revocations);
          DELETE /api/v1/agents/<id> does the same at once. Revoking is final: enroll the machine again.
  list:   id, client, name, revoked or not, one agent a line (or a JSON array with --json).
${SETTINGS_HELP}`;

export async function agentCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...settingsOptions, json: { type: 'boolean' } } });
  const [action, agentId] = positionals;
  if (action !== 'revoke' && action !== 'list') throw new UsageError('usage: agent revoke <agent id> | agent list [--json]');
  const store = await openStore(settingsFrom(values));
  try {
    if (action === 'list') {
      const agents = (await store.listAgents()).map((a) => ({ id: a.id, client: a.clientName, name: a.name, revoked: a.revokedAt !== null }));
      if (values.json) process.stdout.write(JSON.stringify(agents, null, 2) + '\n');
      else for (const a of agents) process.stdout.write(`${a.id}  ${a.client}/${a.name}${a.revoked ? '  (revoked)' : ''}\n`);
      return 0;
    }
    if (!agentId) throw new UsageError('agent revoke needs the agent id (see `nines-collector agent list`)');
    // No connections here: the running collector's RevocationSweep closes the socket.
    const revocation = await revokeAgent({ store, clock: Date.now }, agentId);
    if (revocation.outcome === 'unknown') {
      process.stderr.write(`nines-collector agent revoke: no agent with id ${agentId}\n`);
      return 1;
    }
    const { agent } = revocation;
    if (revocation.outcome === 'already') {
      process.stdout.write(`agent ${agentId} (${agent.clientName}/${agent.name}) was already revoked at ${new Date(agent.revokedAt ?? 0).toISOString()}\n`);
      return 0;
    }
    process.stdout.write(`agent ${agentId} (${agent.clientName}/${agent.name}) revoked; a running collector closes its socket within ${REVOCATION_SWEEP_MS / 1000} s\n`);
    return 0;
  } finally {
    await store.close();
  }
}
