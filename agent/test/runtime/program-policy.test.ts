/**
 * The client machine decides what runs on it: a program named by a check the collector assigned runs only if
 * the agent's own config file lists it under allowPrograms. Driven through `nines-agent check --once` as a
 * separate process, with the assigned config in the state dir exactly as a running agent keeps it.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CheckConfig, ConfigMessage, Result } from '@nines/shared';
import { programsOf, refusedPrograms } from '../../src/program-policy.ts';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'nines-agent.mjs');
const ECHO = '/bin/echo';

t.test('the programs a check names, and those not allowed', async (t) => {
  const command: CheckConfig = { kind: 'command', id: 'c', command: [ECHO, 'OK'] };
  const restic = { kind: 'backup', id: 'b', tool: 'restic', repository: '/srv/restic', program: '/opt/restic' } as CheckConfig;
  t.same(programsOf(command), [ECHO]);
  t.same(programsOf(restic), ['/opt/restic']);
  t.same(programsOf({ kind: 'tcp', id: 't', host: '127.0.0.1', port: 1 }), []);
  t.same(refusedPrograms(command, [ECHO]), []);
  t.same(refusedPrograms(command, []), [ECHO]);
  t.same(refusedPrograms(restic, [ECHO]), ['/opt/restic']);
  const integrity: CheckConfig = { kind: 'backup-integrity', id: 'i', tool: 'borg', repository: '/srv/borg', program: '/opt/borg' };
  const churn: CheckConfig = { kind: 'backup-churn', id: 'ch', tool: 'restic', repository: '/srv/restic', program: '/opt/restic' };
  t.same(refusedPrograms(integrity, []), ['/opt/borg'], 'an assigned integrity check names its borg');
  t.same(refusedPrograms(churn, ['/opt/restic']), []);
  t.same(programsOf({ kind: 'backup-churn', id: 'ch', tool: 'restic', repository: '/srv/restic' }), [], 'the tool on PATH is no override');
});

t.test('an assigned command runs only when the local config allows its program; a local one always runs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-policy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stateDir = join(dir, 'state');
  const assigned: ConfigMessage = {
    type: 'config', version: 3,
    checks: [{ kind: 'command', id: 'from-collector', command: [ECHO, 'ran on the collector\'s say-so'] }],
  };
  mkdirSync(stateDir);
  writeFileSync(join(stateDir, 'assigned-config.json'), JSON.stringify(assigned));

  const once = async (yaml: string) => {
    const file = join(dir, 'agent.yml');
    writeFileSync(file, yaml);
    const out = await run(process.execPath, [CLI, 'check', '--once', '--json', '--no-auto', '--config', file, '--state-dir', stateDir], { timeout: 30_000 })
      .catch((e: { stdout: string }) => e);
    return new Map((JSON.parse(out.stdout) as Result[]).map((r) => [r.checkId, r]));
  };

  const local = `checks:\n  - kind: command\n    id: local\n    command: ["${ECHO}", "written by this machine's admin"]\n`;
  const denied = await once(local);
  t.match(denied.get('from-collector'), {
    status: 'UNKNOWN', code: 'check.not_allowed', params: { programs: ECHO }, message: /^not allowed on this machine: \/bin\/echo is not in allowPrograms/,
  });
  t.match(denied.get('local'), { status: 'OK', message: "written by this machine's admin" });

  const allowed = await once(`${local}allowPrograms: ["${ECHO}"]\n`);
  t.match(allowed.get('from-collector'), { status: 'OK', message: "ran on the collector's say-so" });
});

t.test('allowPrograms must be a list of paths', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-policy-bad-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'agent.yml');
  writeFileSync(file, 'allowPrograms: /bin/echo\n');
  const out = await run(process.execPath, [CLI, 'check', '--once', '--json', '--no-auto', '--config', file], { timeout: 30_000 }).catch((e: { code: number; stderr: string }) => e);
  t.not((out as { code?: number }).code ?? 0, 0);
  t.match((out as { stderr: string }).stderr, /allowPrograms/);
});
