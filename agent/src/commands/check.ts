import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { tmpdir } from 'node:os';
import { systemClock, type CheckConfig } from '@nines/shared';
import { loadAgentConfig } from '../config-file.ts';
import { autoDetectedChecks } from '../auto-checks.ts';
import { runCheck } from '../runner.ts';
import { execProgram } from '../exec.ts';
import { readAssignedConfig } from '../assigned-config.ts';
import { readIdentity } from '../identity.ts';
import { refusedPrograms } from '../program-policy.ts';
import { stateDirFrom, UsageError } from './common.ts';
import { existsSync } from 'node:fs';

export const checkHelp = `nines-agent check --once [--json] [--config FILE] [--state-dir DIR] [--no-auto]
  Runs every configured check once, in parallel, and prints the results (with --json: a JSON array
  of the shared Result shape; seq numbers this run's results from 1, nothing is spooled). Checks: those of FILE, those the
  collector last assigned (if DIR holds them) and the auto-detected ones (patch status; smart, firewall, logins, antivirus,
  encryption, admins where they apply, see docs/checks.md) unless
  --no-auto. Exit code 0 when all are OK, 1 on WARN, 2 on CRIT, 3 on UNKNOWN (the worst wins).`;

const exitOf = { OK: 0, WARN: 1, CRIT: 2, UNKNOWN: 3 } as const;

export async function checkCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: 'boolean' }, json: { type: 'boolean' }, config: { type: 'string' }, 'state-dir': { type: 'string' }, 'no-auto': { type: 'boolean' } },
  });
  if (!values.once) throw new UsageError('check needs --once (continuous checking is `nines-agent run`)');
  const checks: CheckConfig[] = [];
  const local = values.config ? loadAgentConfig(values.config) : {};
  checks.push(...(local.checks ?? []));
  const stateDir = stateDirFrom(values['state-dir']);
  const fromCollector = new WeakSet<CheckConfig>();
  if (existsSync(stateDir)) {
    for (const c of readAssignedConfig(stateDir)?.checks ?? []) {
      if (checks.some((x) => x.id === c.id)) continue;
      checks.push(c);
      fromCollector.add(c);
    }
  }
  if (!values['no-auto']) checks.push(...(await autoDetectedChecks(checks)));
  const deps = {
    clock: systemClock, exec: execProgram, log: pino({ level: 'silent' }), stateDir: existsSync(stateDir) ? stateDir : tmpdir(), ...enrolledAs(stateDir),
    refusedPrograms: (c: CheckConfig) => (fromCollector.has(c) ? refusedPrograms(c, local.allowPrograms ?? []) : []),
  };
  const results = await Promise.all(checks.filter((c) => c.enabled !== false).map((c) => runCheck(c, deps)));
  if (values.json) {
    process.stdout.write(JSON.stringify(results.map((r, i) => ({ seq: i + 1, ...r })), null, 2) + '\n');
  } else {
    for (const r of results) process.stdout.write(`${r.status.padEnd(7)} ${r.checkId.padEnd(24)} ${r.message}\n`);
    if (results.length === 0) process.stdout.write('no checks configured\n');
  }
  return Math.max(0, ...results.map((r) => exitOf[r.status]));
}

/** The agent id when this machine is enrolled, so a one-off run keeps the same weekly slots as the service. */
function enrolledAs(stateDir: string): { agentId?: string } {
  try {
    const agentId = existsSync(stateDir) ? readIdentity(stateDir)?.agentId : undefined;
    return agentId === undefined ? {} : { agentId };
  } catch {
    return {}; // an unreadable identity is `run`'s problem to report; checks fall back to the host name
  }
}
