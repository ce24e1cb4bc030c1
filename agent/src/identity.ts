import { chownSync, readFileSync, writeFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, platform } from 'node:os';
import { request, Agent as Dispatcher, PROBE_CONNECT } from './undici-core.ts';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { agentSocketUrl, normalizeFingerprint } from './connection.ts';
import { EnrollResponseSchema, schemaValidator } from '@nines/shared';
import { AGENT_VERSION } from './version.ts';
import { canonicalKey } from './upgrade/verify.ts';

export interface AgentIdentity {
  collectorUrl: string;
  agentId: string;
  secret: string;
  enrolledAt: number;
  /** The TLS trust given at enrollment, reused by `run` (and so by the service) unless flags override it. */
  tls?: EnrollTls;
  /**
   * The collector's ed25519 public key (SPKI DER, base64) from the enrollment answer: upgrades are installed only
   * when it signed them. Absent in identities from before upgrades (and from collectors without them): then
   * `nines-agent upgrade` refuses until the agent is enrolled again or the key is pinned with --pin-signing-key.
   */
  signingKey?: string;
}

export const IDENTITY_FILE = 'identity.json';
const validateEnrollResponse = schemaValidator(EnrollResponseSchema);

export function readIdentity(stateDir: string): AgentIdentity | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, IDENTITY_FILE), 'utf8')) as AgentIdentity;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the agent identity in ${stateDir}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Written with mode 0600 and renamed into place, so a crash never leaves half a secret. Rewriting an existing
 * identity as root (`upgrade --pin-signing-key`) keeps its owner: the service account must still read it.
 */
export function writeIdentity(stateDir: string, identity: AgentIdentity): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, IDENTITY_FILE);
  let owner: { uid: number; gid: number } | null = null;
  try {
    owner = statSync(path);
  } catch {
    owner = null;
  }
  writeFileSync(path + '.tmp', JSON.stringify(identity, null, 2) + '\n', { mode: 0o600 });
  if (owner && process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0)) chownSync(path + '.tmp', owner.uid, owner.gid);
  renameSync(path + '.tmp', path);
}

export interface EnrollTls {
  caFile?: string;
  pinnedFingerprint?: string;
  allowInsecure?: boolean;
}

/**
 * The same trust rules as the agent's socket: plain http:// only to loopback unless allowed, an extra CA
 * beside the system's, or exactly one pinned certificate, checked before the token is sent.
 */
export function enrollDispatcher(tls: EnrollTls): Dispatcher | undefined {
  if (tls.pinnedFingerprint) {
    const want = normalizeFingerprint(tls.pinnedFingerprint);
    return new Dispatcher({
      connect: (options, callback) => {
        const socket = tlsConnect({ host: options.hostname, port: Number(options.port), servername: options.servername ?? undefined, rejectUnauthorized: false });
        socket.once('secureConnect', () => {
          const got = socket.getPeerX509Certificate()?.fingerprint256.replace(/:/g, '') ?? 'none';
          if (got === want) return callback(null, socket);
          socket.destroy();
          callback(new Error(`collector certificate ${got} does not match the pinned fingerprint ${want}`), null);
        });
        socket.once('error', (error) => callback(error, null));
      },
    });
  }
  if (tls.caFile) {
    let ca: string;
    try {
      ca = readFileSync(tls.caFile, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the CA file ${tls.caFile}: ${(error as Error).message}`, { cause: error });
    }
    return new Dispatcher({ connect: { ...PROBE_CONNECT, ca: [...rootCertificates, ca] } });
  }
  return undefined;
}

/** Exchanges a single-use enrollment token for this agent's id and secret. */
export async function enroll(collectorUrl: string, token: string, now: number, name = hostname(), tls: EnrollTls = {}): Promise<AgentIdentity> {
  agentSocketUrl(collectorUrl, tls.allowInsecure); // refuses to send the token in the clear to another machine
  const url = new URL('/api/v1/enroll', collectorUrl).toString();
  const dispatcher = enrollDispatcher(tls) ?? new Dispatcher({ connect: PROBE_CONNECT }); // one-off; undici-core has no global dispatcher
  let response;
  let body: unknown;
  try {
    response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: name, platform: platform(), agentVersion: AGENT_VERSION }),
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
      dispatcher,
    });
    body = await response.body.json().catch(() => null);
  } catch (error) {
    throw new Error(`cannot reach the collector at ${collectorUrl}: ${(error as Error).message}`, { cause: error });
  } finally {
    await dispatcher.close();
  }
  if (response.statusCode !== 200) {
    const detail = (body as { message?: string } | null)?.message ?? `HTTP ${response.statusCode}`;
    throw new Error(`enrollment refused: ${detail}`);
  }
  if (!validateEnrollResponse.check(body)) throw new Error('enrollment answer is not what this agent understands');
  const identity: AgentIdentity = { collectorUrl, agentId: body.agentId, secret: body.secret, enrolledAt: now };
  if (body.signingKey) {
    try {
      identity.signingKey = canonicalKey(body.signingKey);
    } catch (error) {
      throw new Error(`enrollment answer carries a signing key this agent cannot use: ${(error as Error).message}`, { cause: error });
    }
  }
  if (tls.caFile || tls.pinnedFingerprint || tls.allowInsecure) identity.tls = tls;
  return identity;
}
