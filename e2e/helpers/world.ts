/** One collector, one enrolled agent with a YAML of the test's own, temp dirs, and teardown of all of it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startAgent, startCollector, type AgentProcess, type CollectorProcess } from './processes.ts';
import { adminApi, type Api } from './api.ts';
import { createTestDatabase, TEST_STORE } from '../../collector/test/helpers/test-store.ts';

export interface World {
  dir: string;
  collector: CollectorProcess;
  agent: AgentProcess;
  api: Api;
}

/** `checksYaml` is the agent's `checks:` list as YAML lines; `collectorYaml` the collector's config file, if any. */
export async function startWorld(t: Test, options: { client: string; host: string; checksYaml: string[]; collectorYaml?: string[]; publicUrl?: boolean }): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-e2e-'));
  // Stopped in reverse order of starting: agent, collector, then the temp dir.
  const cleanups: Array<() => unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  t.teardown(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  let configFile: string | undefined;
  if (options.collectorYaml) {
    configFile = join(dir, 'collector.yml');
    writeFileSync(configFile, options.collectorYaml.join('\n') + '\n');
  }
  // On the suite's store kind: with NINES_TEST_STORE=postgres the collector process gets a database of its own
  // (--database-url), dropped after it has stopped.
  let databaseUrl: string | undefined;
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    databaseUrl = database.url;
  }
  const collector = await startCollector({ dataDir: join(dir, 'collector'), configFile, publicUrl: options.publicUrl, databaseUrl });
  cleanups.push(() => collector.child.stop());
  const agentYaml = join(dir, 'agent.yml');
  writeFileSync(agentYaml, ['concurrency: 4', 'checks:', ...options.checksYaml.map((l) => `  ${l}`)].join('\n') + '\n');
  const agent = await startAgent(collector, { client: options.client, name: options.host, stateDir: join(dir, 'agent'), configFile: agentYaml });
  cleanups.push(() => agent.child.stop());
  const api = await adminApi(collector);
  // On a failure, what the processes said is the first thing one wants to read.
  cleanups.push(() => {
    if (!t.passing()) t.comment(`collector output (tail):\n${collector.child.output.slice(-4000)}\nagent output (tail):\n${agent.child.output.slice(-4000)}`);
  });
  return { dir, collector, agent, api };
}
