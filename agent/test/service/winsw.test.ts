import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderWinswXml, windows } from '../../src/service/windows.win32.ts';

// The XML `nines-agent install` writes, read by the real WinSW 1.17 that the collector serves (node-windows'
// winsw.exe): its own parser (ServiceDescriptor.FromXML) under Mono, through winsw-probe.cs. Wine cannot run
// it here (a .NET program; Debian's Wine has no Wine Mono). .ci/run installs mono-runtime and mono-mcs, so
// under NINES_CI a missing Mono fails this test instead of skipping it.
const here = dirname(fileURLToPath(import.meta.url));
const winswExe = join(dirname(createRequire(import.meta.url).resolve('node-windows/package.json')), 'bin', 'winsw', 'winsw.exe');
const missing = ['/usr/bin/mono', '/usr/bin/mcs'].filter((p) => !existsSync(p));
if (missing.length && process.env.NINES_CI) throw new Error(`NINES_CI is set and ${missing.join(', ')} is missing (Debian packages mono-runtime, mono-mcs)`);

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => execFile(file, args, { timeout: 60_000 }, (error, stdout, stderr) =>
    resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })));
}

t.test('WinSW 1.17 reads what install writes: account, restarts, timeouts, rolling logs', { skip: missing.length ? `${missing.join(', ')} missing` : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-winsw-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const probe = join(dir, 'probe.exe');
  const built = await run('/usr/bin/mcs', [join(here, 'winsw-probe.cs'), `-out:${probe}`]);
  t.equal(built.code, 0, built.stderr);

  const layout = { ...windows.defaultLayout(), agentFile: 'C:\\Program Files\\Nines Agent\\nines-agent.exe' };
  const xml = join(dir, 'nines-agent-service.xml');
  writeFileSync(xml, renderWinswXml({ layout, nodePath: '', standalone: true, logLevel: 'debug', withConfig: true, connectionArgs: ['--pin-sha256', 'AB:CD'] }));
  const read = await run('/usr/bin/mono', [probe, winswExe, xml]);
  t.equal(read.code, 0, read.stderr);
  const fields = Object.fromEntries(read.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  t.match(fields, {
    version: '1.17.0.0',
    Id: 'nines-agent',
    Executable: 'C:\\Program Files\\Nines Agent\\nines-agent.exe',
    Arguments: 'run --state-dir C:\\ProgramData\\Nines\\agent --config C:\\ProgramData\\Nines\\agent.yml --pin-sha256 AB:CD',
    WorkingDirectory: 'C:\\ProgramData\\Nines\\agent',
    StartMode: 'Automatic',
    ServiceAccountUser: 'NT AUTHORITY\\LocalService',
    ResetFailureAfter: '01:00:00',
    StopTimeout: '00:00:30',
    'env.NINES_LOG_LEVEL': 'debug',
    LogDirectory: 'C:\\ProgramData\\Nines\\logs',
    log: 'SizeBasedRollingLogAppender',
    'log.SizeTheshold': String(10 * 1024 * 1024),
    'log.FilesToKeep': '5',
  });
  t.same(read.stdout.match(/^onfailure=.*$/gm), ['onfailure=SC_ACTION_RESTART 10000', 'onfailure=SC_ACTION_RESTART 60000'], 'restart after 10 s, then after 60 s');

  writeFileSync(xml, '<service><id>nines-agent</id>');
  const broken = await run('/usr/bin/mono', [probe, winswExe, xml]);
  t.equal(broken.code, 1);
  t.match(broken.stderr, /WinSW refused the XML/, 'the probe can fail: a broken XML is refused');
});
