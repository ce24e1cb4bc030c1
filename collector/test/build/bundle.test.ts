import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, untilHealthy, exited } from '../../../bench/lib/collector-process.ts';

// The shipped collector (collector/build.mjs) run by node alone, from a directory with no node_modules above it:
// the build output is all it has. A probe loaded with --import records every module the process resolves (ESM,
// through a resolve hook) and requires (CommonJS, require.cache at exit): all must be built-ins or files of the
// build output, so no tsx, no typescript, nothing from the repository's node_modules.
const run = promisify(execFile);
const collectorDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repo = join(collectorDir, '..');
const { version } = JSON.parse(readFileSync(join(collectorDir, 'package.json'), 'utf8')) as { version: string };

// The layout the bundle expects: <root>/collector/dist beside <root>/agent/dist (collector/src/layout.ts).
const root = mkdtempSync(join(tmpdir(), 'nines-collector-bundle-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const dist = join(root, 'collector', 'dist');
const bundle = join(dist, 'nines-collector.mjs');
const agentBundle = join(root, 'agent', 'dist', 'nines-agent.mjs');
const built = Promise.all([
  run(process.execPath, [join(collectorDir, 'build.mjs'), dist], { timeout: 120_000 }),
  run(process.execPath, [join(repo, 'agent', 'build.mjs'), agentBundle], { timeout: 120_000 }),
]);

const probe = join(root, 'probe.mjs');
const hooks = join(root, 'probe-hooks.mjs');
writeFileSync(hooks, [
  "import { appendFileSync } from 'node:fs';",
  'export async function resolve(specifier, context, next) {',
  '  const resolved = await next(specifier, context);',
  '  appendFileSync(process.env.NINES_PROBE_LOG, resolved.url + "\\n");',
  '  return resolved;',
  '}',
  '',
].join('\n'));
writeFileSync(probe, [
  "import { register, createRequire } from 'node:module';",
  "import { appendFileSync } from 'node:fs';",
  `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
  'const require = createRequire(import.meta.url);',
  "process.on('exit', () => appendFileSync(process.env.NINES_PROBE_LOG, Object.keys(require.cache).map((f) => 'cjs:' + f + '\\n').join('')));",
  '',
].join('\n'));

/**
 * node started through env(1) without NODE_OPTIONS and NODE_PATH: tap's process-info hook adds its own
 * --import to NODE_OPTIONS of every child this test spawns (the probe saw it load), which no collector has.
 */
const ENV = '/usr/bin/env';
const node = (args: string[]) => ['-u', 'NODE_OPTIONS', '-u', 'NODE_PATH', process.execPath, ...args];
const env = (log: string): NodeJS.ProcessEnv => ({ ...process.env, NINES_PROBE_LOG: log });

const cli = (args: string[], log: string) => run(ENV, node(['--import', pathToFileURL(probe).href, bundle, ...args]), { cwd: root, env: env(log), timeout: 60_000 });

/** The modules a probed process loaded that are neither built-ins nor files under collector/dist of the build. */
function foreignModules(log: string): { loaded: string[]; foreign: string[] } {
  const loaded = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  const inDist = (file: string) => file.startsWith(dist + sep);
  const foreign = loaded.filter((line) => {
    if (line.startsWith('node:')) return false;
    if (line.startsWith('cjs:')) return !inDist(line.slice(4));
    if (line.startsWith('file:')) return !inDist(fileURLToPath(line)) && fileURLToPath(line) !== hooks;
    return true;
  });
  return { loaded, foreign };
}

t.test('the build writes the bundle, the SQLite addon, the migrations and pdfkit\'s font data', async (t) => {
  const [{ stdout }] = await built;
  t.match(stdout, new RegExp(`built .*nines-collector\\.mjs \\(nines-collector ${version.replace(/\./g, '\\.')}`));
  const text = readFileSync(bundle, 'utf8');
  t.ok(text.startsWith('#!/usr/bin/env node\n'), 'shebang first');
  // One non-ASCII character (a comment, a regular expression literal) makes V8 keep the whole source as a two-byte string.
  t.equal(text.match(/[^\x00-\x7f]/g)?.length ?? 0, 0, 'pure ASCII: V8 holds the source one byte a character');
  t.notMatch(text, /from "tsx|require\("tsx|from "typescript"|require\("typescript"\)/, 'no tsx or typescript import in the bundle');
  t.same(readdirSync(join(dist, 'migrations')), readdirSync(join(collectorDir, 'src', 'store', 'sqlite', 'migrations')).filter((f) => f.endsWith('.sql')), 'every migration');
  t.ok(readdirSync(join(dist, 'data')).includes('Helvetica.afm'), 'pdfkit font metrics');
  t.throws(() => createRequire(bundle).resolve('tsx'), { code: 'MODULE_NOT_FOUND' }, 'tsx is not resolvable from the bundle\'s directory');
  t.throws(() => createRequire(bundle).resolve('better-sqlite3'), { code: 'MODULE_NOT_FOUND' }, 'neither is better-sqlite3: its JavaScript is in the bundle');
});

t.test('--version and --help from node alone', async (t) => {
  await built;
  const log = join(root, 'version.log');
  t.equal((await cli(['--version'], log)).stdout.trim(), version);
  t.match((await cli(['--help'], join(root, 'help.log'))).stdout, /^nines-collector \S+: stores agent results/);
  const { loaded, foreign } = foreignModules(log);
  t.ok(loaded.some((l) => l === pathToFileURL(bundle).href), 'the probe saw the bundle load');
  t.same(foreign, [], 'only built-ins and the bundle');
});

t.test('serve answers /healthz, enrolls the bundled agent, serves it, writes a PDF report; only the build output loaded', async (t) => {
  await built;
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = ['--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)];
  const log = join(root, 'serve.log');
  const serve = spawn(ENV, node(['--import', pathToFileURL(probe).href, bundle, 'serve', ...settings, '--log-level', 'warn']), { cwd: root, env: env(log), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  serve.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  t.teardown(() => { serve.kill('SIGKILL'); });
  await untilHealthy(url, 60_000);
  t.same(await (await fetch(`${url}/healthz`)).json(), { status: 'ok', version });

  const cliLog = join(root, 'cli.log');
  const token = (await cli(['enroll-token', 'create', '--client', 'bundle', ...settings], cliLog)).stdout.trim().split('\n').at(-1)!;
  const { stdout: enrolled } = await run(ENV, node([agentBundle, 'enroll', '--url', url, '--token', token, '--state-dir', join(root, 'agent-state'), '--name', 'bundled']), { cwd: root, env: env(join(root, 'agent.log')), timeout: 60_000 });
  const agentId = /enrolled as agent (\S+);/.exec(enrolled)?.[1];
  t.ok(agentId, enrolled);
  const status = JSON.parse((await cli(['status', '--json', ...settings], cliLog)).stdout) as { agents: Array<{ id: string; name: string; client: string }> };
  t.match(status.agents, [{ id: agentId, name: 'bundled', client: 'bundle' }], 'the enrolled agent, read by the bundled CLI');

  // /download/nines-agent.mjs is found through the bundle's own location (layout.ts): the agent built beside it.
  const download = await fetch(`${url}/download/nines-agent.mjs`);
  t.equal(download.status, 200);
  t.ok(Buffer.from(await download.arrayBuffer()).equals(readFileSync(agentBundle)), 'the agent bundle beside the collector, byte for byte');

  // pdfkit reads Helvetica's metrics from data/ beside the bundle; a missing file would fail the command.
  const pdf = join(root, 'report.pdf');
  await cli(['report', '--client', 'bundle', '--month', '2026-01', '--lang', 'en', '--out', pdf, ...settings], cliLog);
  t.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-', 'a PDF');

  serve.kill('SIGTERM');
  await exited(serve);
  t.equal(serve.exitCode, 0, `clean exit after SIGTERM: ${stderr}`);
  for (const file of [log, cliLog]) {
    const { loaded, foreign } = foreignModules(file);
    t.ok(loaded.includes(`cjs:${join(dist, 'better_sqlite3.node')}`), `${file}: SQLite's addon from beside the bundle`);
    t.same(foreign, [], `${file}: only built-ins and the build output`);
  }
});

t.test('demo (what `npm start` runs) from the bundle starts the bundled agent beside it, which reports', async (t) => {
  await built;
  const dataDir = join(root, 'demo');
  const demo = spawn(ENV, node([bundle, 'demo', '--port', '0', '--data-dir', dataDir]), { cwd: root, env: env(join(root, 'demo.log')), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => { demo.kill('SIGKILL'); });
  let output = '';
  demo.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  demo.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + 60_000;
  type Status = { agents: Array<{ client: string; connected: boolean; storedResults: number }> };
  let local: Status['agents'][number] | undefined;
  while (Date.now() < deadline && !(local?.connected && local.storedResults > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (!/Dashboard:/.test(output)) continue;
    local = (JSON.parse((await cli(['status', '--json', '--data-dir', dataDir], join(root, 'demo-cli.log'))).stdout) as Status).agents.find((a) => a.client === 'local');
  }
  t.match(local, { client: 'local', connected: true }, output);
  t.ok((local?.storedResults ?? 0) > 0, 'results from the local agent');
  // The agent process the demo started runs the bundle, not agent/bin (which needs tsx).
  const agents = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'); } catch { return []; } })
    .filter((argv) => argv.includes(join(dataDir, 'agent')));
  t.same(agents.map((argv) => argv.slice(1, 3)), [[agentBundle, 'run']], 'one agent: node <root>/agent/dist/nines-agent.mjs run');
  demo.kill('SIGINT');
  await exited(demo);
  t.equal(demo.exitCode, 0, output);
});

t.test('the development entry where tsx is not installed says to run the bundle instead', async (t) => {
  // collector/bin copied where no node_modules is above it: as in a checkout installed with --omit=dev.
  const bin = join(root, 'dev', 'collector', 'bin', 'nines-collector.mjs');
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, readFileSync(join(collectorDir, 'bin', 'nines-collector.mjs')));
  const failed = await run(ENV, node([bin, '--version']), { cwd: root, timeout: 30_000 }).then(() => null, (error: { code: number; stdout: string; stderr: string }) => error);
  t.equal(failed?.code, 1, 'exit code 1');
  t.match(failed?.stderr, /needs tsx .*\n.*node collector\/dist\/nines-collector\.mjs <command>/, 'names the bundle');
  t.equal(failed?.stdout, '', 'prints no version it does not have');
});
