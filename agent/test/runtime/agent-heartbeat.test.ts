import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent } from '../../src/agent.ts';
import { execProgram } from '../../src/exec.ts';
import { readHeartbeatState } from '../../src/probes/backup/heartbeat/store.ts';

function agentWith(stateDir: string, checks: ConstructorParameters<typeof Agent>[0]['localConfig']['checks']) {
  return new Agent({
    stateDir,
    // Nothing listens on port 9 of loopback: the agent keeps checking and spooling while it retries.
    identity: { collectorUrl: 'http://127.0.0.1:9', agentId: '00000000-0000-0000-0000-000000000000', secret: 'x'.repeat(43), enrolledAt: 0 },
    localConfig: { checks }, clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), autoDetect: false, heartbeatPort: 0,
  });
}

t.test('nines-agent run opens the heartbeat listener when a heartbeat backup job is configured', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'nines-agent-hb-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const agent = agentWith(stateDir, [{ kind: 'backup', id: 'nightly', tool: 'heartbeat', job: 'nightly-db' }]);
  await agent.start();
  t.teardown(() => agent.stop());
  const port = await agent.heartbeatListenerPort();
  t.ok(port, 'listening');
  const response = await fetch(`http://127.0.0.1:${port}/hb/nightly-db/success?exit=0&size=1024`, { method: 'POST' });
  t.equal(response.status, 200);
  const state = await readHeartbeatState(stateDir);
  t.match(JSON.stringify(state), /nightly-db/);
});

t.test('without a heartbeat job no port is opened', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'nines-agent-hb-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const agent = agentWith(stateDir, [{ kind: 'disk', id: 'root', path: '/' }]);
  await agent.start();
  t.equal(await agent.heartbeatListenerPort(), null);
  await agent.stop();
});
