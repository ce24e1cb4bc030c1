import type { Store } from '../store/store.ts';
import { secretMatches } from '../auth/secrets.ts';

export type AgentAuth = { ok: true; agentId: string } | { ok: false; status: 401 | 403; code: string; reason: string };

/** Checks `Authorization: Bearer <agentId>.<secret>` against the stored hash, in constant time. */
export async function authenticateAgent(header: string | undefined, store: Store): Promise<AgentAuth> {
  const match = header ? /^Bearer ([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,200})$/.exec(header) : null;
  if (!match) return { ok: false, status: 401, code: 'NINES_ERR_AGENT_AUTH', reason: 'missing or malformed agent credentials' };
  const [, agentId, secret] = match as unknown as [string, string, string];
  const credentials = await store.agentCredentials(agentId);
  // Hash even for an unknown agent so timing does not tell which ids exist.
  const matches = secretMatches(secret, credentials?.secretHash ?? '0'.repeat(64));
  if (!credentials || !matches) return { ok: false, status: 401, code: 'NINES_ERR_AGENT_AUTH', reason: 'unknown agent or wrong secret' };
  if (credentials.revokedAt !== null) return { ok: false, status: 403, code: 'NINES_ERR_AGENT_REVOKED', reason: 'agent revoked' };
  return { ok: true, agentId };
}
