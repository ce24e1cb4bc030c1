import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode } from '@nines/shared';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import type { Store } from '../../src/store/store.ts';
import { revokeAgent, RevocationSweep } from '../../src/ingest/revocation.ts';
import { hashSecret } from '../../src/auth/secrets.ts';

const AGENT = '11111111-2222-3333-4444-555555555555';

async function storeWithAgent(t: Test): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-revoke-'));
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  t.teardown(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const client = await store.ensureClient('acme', 0);
  await store.createEnrollToken(hashSecret('token'), client.id, 0, 60_000);
  await store.enrollAgent(hashSecret('token'), { id: AGENT, name: 'pc', secretHash: hashSecret('s'), platform: 'linux', agentVersion: 't' }, 1);
  return store;
}

/** Connections that only note what was closed. */
function recordingConnections(open: string[] = []) {
  const closed: { agentId: string; code: number }[] = [];
  return { closed, agentIds: () => open, close: (agentId: string, code: number) => void closed.push({ agentId, code }) };
}

t.test('revokeAgent: revokes in the store once, closes the socket, tells unknown and already-revoked apart', async (t) => {
  const store = await storeWithAgent(t);
  const connections = recordingConnections();
  const first = await revokeAgent({ store: await store, clock: () => 5_000, connections }, AGENT);
  t.equal(first.outcome, 'revoked');
  t.equal(first.outcome !== 'unknown' && first.agent.revokedAt, 5_000, 'the returned record is the revoked one');
  t.equal((await store.agentCredentials(AGENT))!.revokedAt, 5_000, 'the credential is refused from now on');
  t.same(connections.closed, [{ agentId: AGENT, code: CloseCode.REVOKED }]);

  const again = await revokeAgent({ store: await store, clock: () => 9_000, connections }, AGENT);
  t.equal(again.outcome, 'already');
  t.equal((await store.agentCredentials(AGENT))!.revokedAt, 5_000, 'the first revocation time stays');
  t.equal(connections.closed.length, 2, 'a socket still open is closed anyway');

  t.same(await revokeAgent({ store: await store, clock: () => 9_000, connections }, 'no-such-agent'), { outcome: 'unknown' });
  t.equal(connections.closed.length, 2, 'nothing closed for an unknown agent');
});

t.test('revokeAgent without connections (the CLI) only writes the store; the sweep closes the socket', async (t) => {
  const store = await storeWithAgent(t);
  t.equal((await revokeAgent({ store: await store, clock: () => 5_000 }, AGENT)).outcome, 'revoked');
  const connections = recordingConnections([AGENT, 'other-agent']);
  t.same(await new RevocationSweep({ store: await store, connections }, 0).sweep(), [AGENT], 'only the revoked agent of the open ones');
  t.same(connections.closed, [{ agentId: AGENT, code: CloseCode.REVOKED }]);
});
