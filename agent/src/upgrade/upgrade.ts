/**
 * One upgrade from start to end: the announced version, the pinned key, the download from the enrolled collector,
 * the checks (signature, then sha256, then the announced hash), and the swap with its rollback. Shared by
 * `nines-agent upgrade` and the running agent's automatic mode. Every refusal happens before the agent file is
 * touched, and throws an UpgradeError with its code.
 */
import { compareVersions, type UpdateMessage } from '@nines/shared';
import type { AgentIdentity, EnrollTls } from '../identity.ts';
import { UpgradeError, UpgradeErrors } from './errors.ts';
import { buildNameFor, checkHash, parsePinnedKey, signedHashOf } from './verify.ts';
import type { Downloaded } from './download.ts';
import { swapAndVerify, type SwapContext, type SwapOutcome } from './swap.ts';

export interface UpgradeRequest {
  identity: AgentIdentity;
  /** What the collector announced (update.json), or null when it announced nothing. */
  announcement: UpdateMessage | null;
  currentVersion: string;
  platform: string;
  arch: string;
  /** The agent file the service runs. */
  target: string;
  /** Only download and verify; change nothing. */
  checkOnly: boolean;
  tls?: EnrollTls;
  connectTimeoutMs: number;
  download(collectorUrl: string, name: string, tls: EnrollTls | undefined): Promise<Downloaded>;
  swap: SwapContext;
}

export type UpgradeResult =
  | { outcome: 'current'; version: string }
  | { outcome: 'verified'; version: string; name: string; sha256: string }
  | { outcome: 'upgraded' | 'rolled-back' | 'rollback-failed'; version: string; name: string; sha256: string; swap: SwapOutcome };

export async function upgrade(request: UpgradeRequest): Promise<UpgradeResult> {
  const { identity, announcement } = request;
  if (!identity.signingKey) {
    throw new UpgradeError(
      UpgradeErrors.NO_KEY,
      'no collector signing key is pinned in this agent\'s identity (it was enrolled before upgrades were signed): enroll again ' +
        '(`nines-agent enroll --force`), or pin the key with `nines-agent upgrade --pin-signing-key <key>` after checking it ' +
        `against ${new URL('/download/signing-key.pem', identity.collectorUrl)} out of band`,
    );
  }
  const key = parsePinnedKey(identity.signingKey);
  const name = buildNameFor(request.platform, request.arch);
  if (!name) throw new UpgradeError(UpgradeErrors.UNKNOWN_PLATFORM, `no agent build exists for ${request.platform}-${request.arch} (built: linux-x64, linux-arm64, win32-x64)`);
  if (!announcement) {
    throw new UpgradeError(UpgradeErrors.NOT_PUBLISHED, 'the collector has announced no newer build to this agent (the running agent keeps the announcement in its state dir; is it running and connected?)');
  }
  if (compareVersions(announcement.version, request.currentVersion) !== 1) return { outcome: 'current', version: request.currentVersion };
  const announced = announcement.files.find((f) => f.name === name);
  if (!announced) throw new UpgradeError(UpgradeErrors.UNKNOWN_PLATFORM, `the collector publishes ${announcement.version} without a build for ${request.platform}-${request.arch} (${name})`);

  const release = await request.download(identity.collectorUrl, name, request.tls);
  const sha256 = signedHashOf(release, key, name);
  checkHash(release.file, sha256, name);
  // The version came over the socket, the bytes with the signed sums: they must be the same build.
  if (sha256 !== announced.sha256) {
    throw new UpgradeError(UpgradeErrors.HASH_MISMATCH, `the signed ${name} (sha256 ${sha256}) is not the announced ${announcement.version} (sha256 ${announced.sha256}): the published builds changed; try again after the next announcement`);
  }
  // A bundle run by node cannot be replaced by an executable: the service would start node on machine code.
  if (/\.[cm]?js$/i.test(request.target) && isExecutable(release.file)) {
    throw new UpgradeError(UpgradeErrors.UNKNOWN_PLATFORM, `${request.target} is the agent as a Node.js bundle, and the collector publishes standalone executables: install one once with \`nines-agent install --agent-file ${name}\` (from ${new URL(`/download/${name}`, identity.collectorUrl)}), after which upgrades work`);
  }
  if (request.checkOnly) return { outcome: 'verified', version: announcement.version, name, sha256 };

  const swap = await swapAndVerify(request.swap, {
    target: request.target, build: release.file, version: announcement.version, previousVersion: request.currentVersion, connectTimeoutMs: request.connectTimeoutMs,
  });
  const outcome = swap.state === 'connected' ? 'upgraded' : swap.state;
  return { outcome, version: announcement.version, name, sha256, swap };
}

/** ELF, PE (MZ) or Mach-O: machine code, not a script. */
function isExecutable(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4).toString('hex');
  return head === '7f454c46' || head.startsWith('4d5a') || ['feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'].includes(head);
}
