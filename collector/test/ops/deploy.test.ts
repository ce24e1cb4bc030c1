import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readConfigFile } from '../../src/settings.ts';
import { checkConfig } from '../../src/ops/config-check.ts';
import { loadAgentConfig } from '../../../agent/src/config-file.ts';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nines-deploy-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function tryRun(file: string, args: string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string } | null> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return null;
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const noCompose = (await tryRun('docker-compose', ['version'])) === null && 'docker-compose is not installed here (CI installs it: .ci/run)';
const noSystemdAnalyze = (await tryRun('systemd-analyze', ['--version'])) === null && 'systemd-analyze is not installed here (CI installs systemd: .ci/run)';

t.test('docker-compose accepts docker-compose.yml: collector with a data volume, and one agent', { skip: noCompose }, async (t) => {
  const checked = await tryRun('docker-compose', ['--profile', 'agent', 'config']);
  t.equal(checked?.code, 0, checked?.stderr ?? 'not run');
  const config = parse(checked!.stdout) as {
    services: Record<string, { volumes: (string | { target: string; source: string })[]; environment: Record<string, string>; entrypoint?: string[]; ports?: unknown[] }>;
    volumes: Record<string, unknown>;
  };
  t.same(Object.keys(config.services).sort(), ['agent', 'collector']);
  t.ok('nines-data' in config.volumes && 'nines-agent-state' in config.volumes, 'named volumes for collector data and agent state');
  t.match(JSON.stringify(config.services.collector!.volumes), /nines-data:\/data/);
  t.match(config.services.collector!.environment, { NINES_HOST: '0.0.0.0', NINES_DATA_DIR: '/data' });
  t.match(config.services.agent!.environment, { NINES_COLLECTOR_URL: 'http://collector:8080' });
  t.match(JSON.stringify(config.services.collector!.ports), /127\.0\.0\.1/, 'published on loopback unless NINES_PUBLISH says otherwise');

  // The agent's entrypoint ships in the image (deploy/docker is copied into the runtime stage) and is valid sh.
  const entrypoint = config.services.agent!.entrypoint!.at(-1)!.replace('/app/', '');
  t.ok(existsSync(join(repo, entrypoint)), `${entrypoint} exists`);
  t.equal((await tryRun('sh', ['-n', join(repo, entrypoint)]))?.code, 0, 'sh -n accepts the entrypoint');

  const broken = join(dir, 'broken-compose.yml');
  writeFileSync(broken, readFileSync(join(repo, 'docker-compose.yml'), 'utf8').replace('restart: unless-stopped', 'restart: [sometimes]'));
  t.not((await tryRun('docker-compose', ['-f', broken, 'config']))?.code, 0, 'a broken file is rejected (the check can fail)');
});

t.test('the Dockerfile builds on the pinned LTS and runs the collector bundle without node_modules', async (t) => {
  const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');
  for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(\S+) \S+$/gm)) {
    if (source !== '.') t.ok(existsSync(join(repo, source!)), `COPY source ${source} exists`);
  }
  // Both stages on one image, whose Node.js line is the agent executables' (agent/build.mjs NODE_LINE).
  const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
  const nodeLine = /^const NODE_LINE = '(\d+)\./m.exec(readFileSync(join(repo, 'agent', 'build.mjs'), 'utf8'))?.[1];
  t.equal(image, `node:${nodeLine}-bookworm-slim`, 'the image follows the executables\' Node.js line');
  const stages = dockerfile.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
  t.same(stages.map((s) => /^FROM (\S+)/.exec(s)![1]), ['${NODE_IMAGE}', '${NODE_IMAGE}'], 'build and runtime stage');
  const runtime = stages.at(-1)!;
  t.match(stages[0], /^RUN npm run build$/m, 'the build stage writes the bundles');
  t.notMatch(runtime, /node_modules|npm (ci|install)|tsx/, 'the runtime stage has no node_modules, no install, no tsx');
  const copied = [...runtime.matchAll(/^COPY --from=build (?:--\S+ )*\/app\/(\S+) /gm)].map((m) => m[1]);
  t.same(copied, ['collector/dist', 'dashboard/dist', 'agent/dist', 'deploy/docker'], 'only build output and the agent entrypoint');
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  // collector/build.mjs writes this file (collector/test/build/bundle.test.ts runs it); the checkout has no dist/.
  t.same(entrypoint, ['node', 'collector/dist/nines-collector.mjs'], 'node runs the bundle');
  t.match(readFileSync(join(repo, 'collector', 'build.mjs'), 'utf8'), /join\(here, 'dist'\)/, 'collector/build.mjs writes collector/dist by default');
  t.match(dockerfile, /^USER node$/m, 'the collector does not run as root');
  t.match(dockerfile, /^VOLUME \["\/data"\]$/m);
  t.match(dockerfile, /^HEALTHCHECK [^]*?CMD .*\/healthz/m);
  t.match(readFileSync(join(repo, '.dockerignore'), 'utf8'), /^data$/m, 'local databases stay out of the image');
});

t.test('the collector systemd unit passes systemd-analyze verify and its security review', { skip: noSystemdAnalyze }, async (t) => {
  // verify checks that ExecStart's program exists: point it at this machine's node.
  const unit = readFileSync(join(repo, 'deploy', 'nines-collector.service'), 'utf8').replaceAll('/usr/bin/node', process.execPath);
  const file = join(dir, 'nines-collector.service');
  writeFileSync(file, unit);
  t.match(await tryRun('systemd-analyze', ['verify', file]), { code: 0, stderr: '' });
  const security = await tryRun('systemd-analyze', ['security', '--offline=yes', file]);
  const score = Number(/Overall exposure level for nines-collector\.service: ([\d.]+)/.exec(security?.stdout ?? '')?.[1]);
  t.ok(score <= 4, `exposure ${score} is at most 4`);
  t.match(unit, /^ExecStartPre=.* config check$/m, 'a broken config stops the start with the problems in the journal');
  t.match(unit, /^Restart=on-failure$/m);
});

t.test('the example configs are valid', async (t) => {
  const collectorExample = join(repo, 'deploy', 'collector.example.yml');
  t.match(readConfigFile(collectorExample), { port: 8080, retention: { rawDays: 90, hourlyDays: 400 } });
  const report = checkConfig({ config: collectorExample, dataDir: join(dir, 'data') }, {}, (p) => parse(readFileSync(p, 'utf8')) as Record<string, unknown>);
  t.same(report.problems, []);
  t.match(report.sources, { port: 'file', dataDir: 'flag', 'retention.rawDays': 'file' });
  t.ok((loadAgentConfig(join(repo, 'deploy', 'agent.example.yml')).checks?.length ?? 0) >= 3, 'the agent example passes the agent schema');
});
