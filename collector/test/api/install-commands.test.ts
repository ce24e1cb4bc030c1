import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startWorld } from './helpers.ts';
import { WINSW_URL } from '../../src/management/install-commands.ts';

const run = promisify(execFile);
const agentDir = fileURLToPath(new URL('../../../agent/', import.meta.url));

// A bundle of our own, so this never races other tests over agent/dist.
const bundleDir = mkdtempSync(join(tmpdir(), 'nines-cmd-bundle-'));
const bundle = join(bundleDir, 'nines-agent.mjs');
await run(process.execPath, [join(agentDir, 'build.mjs'), bundle], { timeout: 120_000 });
t.teardown(() => rmSync(bundleDir, { recursive: true, force: true }));

t.test('the install commands next to a token are the ones the real agent accepts', async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  const { body } = await w.admin.json<{ token: string; commands: { linux: string; macos: string; windows: string } }>('POST', '/api/v1/enrollment-tokens', { clientId: w.acme });
  const { linux, macos, windows } = body.commands;
  t.equal(macos, linux, 'macOS uses the same two steps');
  const [download, install] = linux.split(' && ');
  t.equal(download, `curl -fsSLO ${w.c.url}/download/nines-agent.mjs`, 'fetches the bundle from this collector (the download route)');
  t.match(windows, `Invoke-WebRequest ${w.c.url}/download/nines-agent.mjs -OutFile nines-agent.mjs`);
  t.match(windows, `Invoke-WebRequest ${WINSW_URL} -OutFile WinSW-x64.exe`, 'WinSW lands beside the bundle, where install looks for it');
  t.match(windows, new RegExp(`node \\.\\\\nines-agent\\.mjs install --url ${w.c.url} --token ${body.token}$`));

  // Run the shown command's arguments through the real agent, as a dry run under --root: it enrolls with the token.
  const prefix = 'sudo node nines-agent.mjs ';
  t.ok(install!.startsWith(prefix), install!);
  const args = install!.slice(prefix.length).split(' ');
  const root = mkdtempSync(join(tmpdir(), 'nines-cmd-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const { stdout } = await run(process.execPath, [bundle, ...args, '--root', root, '--platform', 'linux'], { timeout: 60_000 });
  t.match(stdout, /nines-agent installed: agent [\w-]+, systemd service/);
  t.ok(existsSync(join(root, 'etc/systemd/system/nines-agent.service')));
  t.equal(w.c.store.listAgents().filter((a) => a.clientId === w.acme).length, 2, 'the token enrolled a second acme agent');
});
