/**
 * Entry of the agent process measured by agent-footprint: the real Agent (checks → spool → collector)
 * exactly as `nines-agent run` builds it, minus auto-detection (the patch check would add apt runs that
 * are not the 50 checks the scenario names). Bundled by bench/lib/agent-bundle.ts like the shipped agent.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { systemClock } from '@nines/shared';
import { Agent } from '../../agent/src/agent.ts';
import { readIdentity } from '../../agent/src/identity.ts';
import { loadAgentConfig } from '../../agent/src/config-file.ts';
import { execProgram } from '../../agent/src/exec.ts';
import { makeLogger } from '../../agent/src/commands/common.ts';
import { tuneEngine } from '../../agent/src/engine.ts';

tuneEngine(); // as the CLI's main() does before any command
const [stateDir, configFile] = process.argv.slice(2);
if (!stateDir || !configFile) throw new Error('usage: footprint-agent <state-dir> <config.yaml>');
const identity = readIdentity(stateDir);
if (!identity) throw new Error(`no identity in ${stateDir}`);
const log = makeLogger();
const agent = new Agent({ stateDir, identity, localConfig: loadAgentConfig(configFile), clock: systemClock, exec: execProgram, log, autoDetect: false });
await agent.start();
log.info({ agentId: identity.agentId, checks: agent.checks().length }, 'agent running');
process.once('SIGTERM', () => void agent.stop().then(() => process.exit(0)));
// The scenario asks at the end of its window where the memory is (V8 heap by space, external, array buffers).
process.on('SIGUSR2', () => {
  const usage = process.memoryUsage();
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mib(s.physical_space_size)]));
  log.info({ memoryMiB: { rss: mib(usage.rss), heapTotal: mib(usage.heapTotal), heapUsed: mib(usage.heapUsed), external: mib(usage.external), arrayBuffers: mib(usage.arrayBuffers), heapSpacesPhysical: spaces } }, 'memory');
});
