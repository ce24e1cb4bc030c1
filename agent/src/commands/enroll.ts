import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enroll, readIdentity, writeIdentity } from '../identity.ts';
import { stateDirFrom, UsageError } from './common.ts';

export const enrollHelp = `nines-agent enroll --url <collector URL> --token <token> [--state-dir DIR] [--name NAME] [--force]
                   [--ca-file PEM] [--pin-sha256 FP] [--allow-insecure]
  Exchanges a single-use enrollment token (from \`nines-collector enroll-token create\`) for this
  agent's identity, written to DIR/identity.json with mode 0600. Refuses to overwrite an existing
  identity unless --force is given. TLS trust as for \`run\`: an extra CA, a pinned certificate, and
  plain http:// only to loopback unless --allow-insecure.`;

export async function enrollCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, token: { type: 'string' }, 'state-dir': { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' },
      'ca-file': { type: 'string' }, 'pin-sha256': { type: 'string' }, 'allow-insecure': { type: 'boolean' },
    },
  });
  if (!values.url || !values.token) throw new UsageError('enroll needs --url and --token');
  const stateDir = stateDirFrom(values['state-dir']);
  const existing = readIdentity(stateDir);
  if (existing && !values.force) throw new UsageError(`already enrolled as ${existing.agentId} (use --force to enroll again)`);
  const identity = await enroll(values.url, values.token, Date.now(), values.name, {
    caFile: values['ca-file'], pinnedFingerprint: values['pin-sha256'], allowInsecure: values['allow-insecure'],
  });
  writeIdentity(stateDir, identity);
  process.stdout.write(`enrolled as agent ${identity.agentId}; identity in ${join(stateDir, 'identity.json')}\n`);
  return 0;
}
