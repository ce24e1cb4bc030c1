/**
 * The agent bundled by agent/build.mjs itself (the shipped entry and options), stamped with a version of the
 * test's choosing (`--stamp`): the "new build" an upgrade installs must say hello with a version the old one does
 * not have. Written to a temp file, never to agent/dist/.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function buildAgentBundle(outfile: string, version: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(agentDir, 'build.mjs'), `--stamp=${version}`, outfile]);
}

/** The next patch version: the "newer build" of the scenario, derived from the agent's own version. */
export function nextPatch(version: string): string {
  const [major, minor, patch] = version.split('-')[0]!.split('.').map(Number);
  return `${major}.${minor}.${patch! + 1}`;
}
