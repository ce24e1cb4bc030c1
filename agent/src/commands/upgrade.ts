import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { parseDuration } from '@nines/shared';
import { readIdentity, writeIdentity } from '../identity.ts';
import { execProgram } from '../exec.ts';
import { serviceManagerFor } from '../service/index.ts';
import { AGENT_VERSION } from '../version.ts';
import { readAnnouncement } from '../upgrade/announcement.ts';
import { downloadRelease } from '../upgrade/download.ts';
import { nodeSwapContext } from '../upgrade/context.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../upgrade/swap.ts';
import { reportSwap } from '../upgrade/swap-report.ts';
import { UpgradeError, UpgradeErrors } from '../upgrade/errors.ts';
import { upgrade } from '../upgrade/upgrade.ts';
import { canonicalKey } from '../upgrade/verify.ts';
import { ownAgentFile } from '../upgrade/own-file.ts';
import { stateDirFrom, UsageError } from './common.ts';
import { applyRequestCommand, applyRequestHelp } from './apply-request.ts';

export const upgradeHelp = `nines-agent upgrade [--check] [--state-dir DIR] [--agent-file FILE] [--connect-timeout DURATION]
                    [--pin-signing-key KEY]
  Installs the newer agent build the collector announced (the running agent keeps the announcement
  in DIR/update.json): downloads the build for this OS and CPU, SHA256SUMS and SHA256SUMS.sig from
  the collector this agent is enrolled with, and refuses it unless the ed25519 signature over
  SHA256SUMS is by the collector key pinned at enrollment and the file's sha256 is the signed one.
  Then moves FILE to FILE.previous, puts the new build at FILE, restarts the service and waits for
  the new version to connect; if it does not within the timeout, FILE.previous is put back and the
  service restarted again. Run it as root / from an elevated prompt, like install. Exit code 0 when
  upgraded or already current, 1 when refused or rolled back. See docs/install.md#upgrade.
  --check            download and verify only; change nothing
  --agent-file FILE  the installed agent to replace (default: this running one)
  --connect-timeout  how long the new build has to connect, e.g. 90s, 5m (default ${DEFAULT_CONNECT_TIMEOUT_MS / 1000}s)
  --pin-signing-key  pin the collector's public key (base64, or a PEM file saved from
                     <collector>/download/signing-key.pem and checked out of band) in an identity enrolled
                     before upgrades were signed; kept only once it verified the collector's signature

${applyRequestHelp}`;

export async function upgradeCommand(argv: string[]): Promise<number> {
  try {
    return argv.includes('--apply-request') ? await applyRequestCommand(argv) : await upgradeOnce(argv);
  } catch (error) {
    // The code on the line too, so a script (or the automatic mode's upgrade.log) can tell the cases apart.
    if (error instanceof UpgradeError) error.message = `${error.message} [${error.code}]`;
    throw error;
  }
}

async function upgradeOnce(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean' }, 'state-dir': { type: 'string' }, 'agent-file': { type: 'string' },
      'connect-timeout': { type: 'string' }, 'pin-signing-key': { type: 'string' },
    },
  });
  const stateDir = stateDirFrom(values['state-dir']);
  const identity = readIdentity(stateDir);
  if (!identity) throw new UsageError(`not enrolled: no identity in ${stateDir} (run \`nines-agent enroll\` first)`);
  // Kept in the identity only once it verified the collector's signature: a wrong key given here is not pinned.
  let toPin: string | null = null;
  if (values['pin-signing-key'] !== undefined) {
    const key = canonicalKey(keyText(values['pin-signing-key']));
    if (identity.signingKey && identity.signingKey !== key) {
      throw new UpgradeError(UpgradeErrors.KEY_MISMATCH, 'a different collector signing key is already pinned; enroll again (`nines-agent enroll --force`) to trust another one');
    }
    if (!identity.signingKey) toPin = identity.signingKey = key;
  }
  let connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  if (values['connect-timeout'] !== undefined) {
    try {
      connectTimeoutMs = parseDuration(values['connect-timeout']);
    } catch (error) {
      throw new UsageError(`--connect-timeout: ${(error as Error).message}`);
    }
  }
  const agentFile = values['agent-file'] ?? ownAgentFile();
  if (!agentFile) throw new UsageError('running from the sources: pass --agent-file with the installed agent to replace');
  const say = (line: string) => process.stdout.write(line + '\n');
  const restart = async () => {
    const manager = serviceManagerFor(platform());
    await manager.restart({ root: '/', exec: execProgram, platform: platform(), say }, manager.defaultLayout());
  };
  const result = await upgrade({
    identity, announcement: readAnnouncement(stateDir), currentVersion: AGENT_VERSION, platform: platform(), arch: arch(),
    target: resolve(agentFile), checkOnly: values.check ?? false, tls: identity.tls, connectTimeoutMs,
    download: downloadRelease, swap: nodeSwapContext(stateDir, restart, say),
  });
  if (toPin && result.outcome !== 'current') {
    writeIdentity(stateDir, { ...identity, signingKey: toPin });
    say(`pinned the collector signing key in ${stateDir}`);
  }
  switch (result.outcome) {
    case 'current':
      say(`nines-agent ${result.version} is current: the collector announces nothing newer`);
      return 0;
    case 'verified':
      say(`${result.version} is available: ${result.name} (sha256 ${result.sha256}) verified against the collector's signature; nothing changed (--check)`);
      return 0;
    default:
      return reportSwap(result, say);
  }
}

/** The key itself (base64 or PEM), or a file holding it (as saved from <collector>/download/signing-key.pem). */
function keyText(value: string): string {
  if (value.includes('-----BEGIN') || /^[A-Za-z0-9+/=\s]+$/.test(value) && !existsSync(value)) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new UsageError(`--pin-signing-key: not a key and not a readable file: ${(error as Error).message}`);
  }
}
