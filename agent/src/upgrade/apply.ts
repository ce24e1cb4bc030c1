/**
 * The privileged half of an automatic upgrade (`nines-agent upgrade --apply-request`, run as root by the
 * nines-agent-upgrade.path/.service units, as SYSTEM by a scheduled task, or by a launchd daemon). Trust:
 *   - from the agent user, only the request (a version string, request.ts), taken and removed first;
 *   - the key from KEY_FILE, which only root/SYSTEM can write (checked: owner root, no group/other write);
 *   - the collector URL and TLS settings from the identity in the state dir, which the agent user CAN write: so
 *     they only decide where to download from, never what is accepted; the signature by the pinned key does;
 *   - the version from the signed bytes themselves: SHA256SUMS binds names to hashes, not to versions, so the
 *     verified build is asked for `--version` (as the service user) and must say exactly the requested one, and
 *     that must be newer than the installed one (no downgrade to an old signed build with a known bug).
 * Every refusal happens before the installed file is touched. The swap and rollback are swap.ts's.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { compareVersions } from '@nines/shared';
import type { AgentIdentity, EnrollTls } from '../identity.ts';
import type { Downloaded } from './download.ts';
import { UpgradeError, UpgradeErrors } from './errors.ts';
import { takeRequest } from './request.ts';
import { swapAndVerify, type SwapContext, type SwapOutcome } from './swap.ts';
import { buildNameFor, checkHash, parsePinnedKey, signedHashOf } from './verify.ts';

export interface ApplyOptions {
  requestDir: string;
  /** The pinned public key (PEM or base64 SPKI), root-owned. */
  keyFile: string;
  readKey(path: string): string;
  /** The enrolled identity (collector URL, TLS trust): where to download from. Read after the request is taken. */
  loadIdentity(): AgentIdentity;
  installedVersion: string;
  platform: string;
  arch: string;
  target: string;
  /** Enforce root ownership of the key and the request directory's parent (false only on Windows, where ACLs do it). */
  checkOwners: boolean;
  connectTimeoutMs: number;
  download(collectorUrl: string, name: string, tls: EnrollTls | undefined): Promise<Downloaded>;
  /** The version the verified build reports (`--version`), run without privileges; the bytes are the signed ones. */
  probeVersion(build: Buffer): Promise<string>;
  swap: SwapContext;
  say(line: string): void;
}

export type ApplyResult =
  | { outcome: 'none' }
  | { outcome: 'upgraded' | 'rolled-back' | 'rollback-failed'; version: string; sha256: string; swap: SwapOutcome };

export async function applyRequest(options: ApplyOptions): Promise<ApplyResult> {
  const taken = takeRequest(options.requestDir, { checkParent: options.checkOwners });
  if (taken.removed.length > 0) options.say(`removed from ${options.requestDir}: ${taken.removed.join(', ')}`);
  if (taken.version === null) return { outcome: 'none' };
  const version = taken.version;
  options.say(`the agent asks for ${version} (installed: ${options.installedVersion})`);
  if (compareVersions(version, options.installedVersion) !== 1) {
    throw new UpgradeError(UpgradeErrors.VERSION_MISMATCH, `${version} is not newer than the installed ${options.installedVersion}: refused (no downgrades by request)`);
  }
  const key = parsePinnedKey(readTrustedKey(options));
  const name = buildNameFor(options.platform, options.arch);
  if (!name) throw new UpgradeError(UpgradeErrors.UNKNOWN_PLATFORM, `no agent build exists for ${options.platform}-${options.arch}`);

  const identity = options.loadIdentity();
  const release = await options.download(identity.collectorUrl, name, identity.tls);
  const sha256 = signedHashOf(release, key, name);
  checkHash(release.file, sha256, name);
  const reported = await options.probeVersion(release.file);
  if (reported !== version) {
    throw new UpgradeError(UpgradeErrors.VERSION_MISMATCH, `the signed ${name} (sha256 ${sha256}) is version ${reported}, not the requested ${version}: refused`);
  }
  options.say(`${name} ${version} (sha256 ${sha256}) is signed by the pinned key: installing`);
  const swap = await swapAndVerify(options.swap, {
    target: options.target, build: release.file, version, previousVersion: options.installedVersion, connectTimeoutMs: options.connectTimeoutMs,
  });
  return { outcome: swap.state === 'connected' ? 'upgraded' : swap.state, version, sha256, swap };
}

/** The key file's text, once it and its directory are shown to be root's alone. */
function readTrustedKey(options: ApplyOptions): string {
  if (options.checkOwners) {
    for (const path of [options.keyFile, dirname(options.keyFile)]) {
      let stat: Stats;
      try {
        stat = statSync(path);
      } catch (error) {
        throw new UpgradeError(UpgradeErrors.KEY_FILE, `cannot read the pinned upgrade key ${path}: ${(error as Error).message} (reinstall with \`nines-agent install\`)`);
      }
      if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
        throw new UpgradeError(UpgradeErrors.KEY_FILE, `${path} must belong to root and be writable by nobody else (it is uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}): refusing to trust the key in it`);
      }
    }
  }
  try {
    return options.readKey(options.keyFile);
  } catch (error) {
    throw new UpgradeError(UpgradeErrors.KEY_FILE, `cannot read the pinned upgrade key ${options.keyFile}: ${(error as Error).message}`);
  }
}
