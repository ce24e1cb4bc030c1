import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, platform } from 'node:os';
import { request } from 'undici';
import { EnrollResponseSchema, compileValidator } from '@nines/shared';
import { AGENT_VERSION } from './version.ts';

export interface AgentIdentity {
  collectorUrl: string;
  agentId: string;
  secret: string;
  enrolledAt: number;
}

const IDENTITY_FILE = 'identity.json';
const validateEnrollResponse = compileValidator(EnrollResponseSchema);

export function readIdentity(stateDir: string): AgentIdentity | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, IDENTITY_FILE), 'utf8')) as AgentIdentity;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the agent identity in ${stateDir}: ${(error as Error).message}`, { cause: error });
  }
}

/** Written with mode 0600 and renamed into place, so a crash never leaves half a secret. */
export function writeIdentity(stateDir: string, identity: AgentIdentity): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, IDENTITY_FILE);
  writeFileSync(path + '.tmp', JSON.stringify(identity, null, 2) + '\n', { mode: 0o600 });
  renameSync(path + '.tmp', path);
}

/** Exchanges a single-use enrollment token for this agent's id and secret. */
export async function enroll(collectorUrl: string, token: string, now: number, name = hostname()): Promise<AgentIdentity> {
  const url = new URL('/api/v1/enroll', collectorUrl).toString();
  let response;
  try {
    response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: name, platform: platform(), agentVersion: AGENT_VERSION }),
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
  } catch (error) {
    throw new Error(`cannot reach the collector at ${collectorUrl}: ${(error as Error).message}`, { cause: error });
  }
  const body = (await response.body.json().catch(() => null)) as unknown;
  if (response.statusCode !== 200) {
    const detail = (body as { message?: string } | null)?.message ?? `HTTP ${response.statusCode}`;
    throw new Error(`enrollment refused: ${detail}`);
  }
  if (!validateEnrollResponse.check(body)) throw new Error('enrollment answer is not what this agent understands');
  return { collectorUrl, agentId: body.agentId, secret: body.secret, enrolledAt: now };
}
