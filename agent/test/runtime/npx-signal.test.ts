import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIdentity } from '../../src/identity.ts';

// Issue 15, 8h: SIGTERM to `npx nines-agent run` left the agent running. npx runs it under `sh -c`, which dies of
// the signal without passing it on. Real npx, real processes; the agent's pid is found in /proc.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A loopback port nobody listens on: the agent keeps retrying it, so it only stops when told to. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Pids of all live descendants of `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name before it is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const [child, parent] of parentOf) if (parent === p) (out.push(child), walk(child)); };
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    return !/^\S+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const cmdline = (pid: number) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; } };

// SIGTERM goes to npx alone (kill PID, docker stop, a process manager): this is what left the orphan.
// Ctrl-C in a terminal sends SIGINT to the whole foreground process group; npm forwards a SIGINT sent to it alone
// to the shell, which waits for its child as POSIX shells do, so that case has nothing to act on and is not claimed.
const CASES = [
  { signal: 'SIGTERM', to: 'npx', send: (pid: number) => process.kill(pid, 'SIGTERM') },
  { signal: 'SIGINT', to: 'the process group, as Ctrl-C does', send: (pid: number) => process.kill(-pid, 'SIGINT') },
] as const;
for (const { signal, to, send } of CASES) {
  t.test(`${signal} to ${to} stops the agent started by npx nines-agent run, cleanly`, { skip: existsSync('/proc/self/stat') ? false : 'needs /proc' }, async (t) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nines-npx-signal-'));
    t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
    writeIdentity(stateDir, { collectorUrl: `http://127.0.0.1:${await closedPort()}`, agentId: 'agent-npx', secret: 'secret', enrolledAt: 0 });
    const npx = spawn('npx', ['nines-agent', 'run', '--state-dir', stateDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    npx.stdout.on('data', (d: Buffer) => (output += d.toString()));
    npx.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let agentPid = 0;
    t.teardown(() => { if (agentPid && alive(agentPid)) process.kill(agentPid, 'SIGKILL'); if (npx.exitCode === null) npx.kill('SIGKILL'); });
    npx.unref();

    for (let i = 0; i < 300 && !output.includes('"agent running"'); i++) await new Promise((r) => setTimeout(r, 100));
    t.match(output, /"agent running"/, 'the agent started');
    agentPid = descendants(npx.pid!).find((pid) => /node .*nines-agent(\.mjs)? run/.test(cmdline(pid))) ?? 0;
    t.ok(agentPid, `the agent process is found below npx (${agentPid})`);

    send(npx.pid!);
    for (let i = 0; i < 300 && alive(agentPid); i++) await new Promise((r) => setTimeout(r, 100));
    t.notOk(alive(agentPid), 'no agent process left');
    t.match(output, new RegExp(`"signal":"SIG(TERM|INT)","msg":"stopping"`), 'it stopped through its own shutdown path');
  });
}
