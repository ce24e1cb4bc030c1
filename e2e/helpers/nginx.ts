/**
 * nginx in front of several collectors, as an operator would run it: one upstream, the agents' WebSocket upgraded
 * on /ws/, a dead collector's new connections passed to the next one. Our own instance (not the system's): a temp
 * prefix with its config, pid, logs and temp dirs, in the foreground as a child of the test, on a loopback port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, freePort, waitUntil } from './processes.ts';

export const NGINX_BIN = process.env.NINES_NGINX ?? '/usr/sbin/nginx';

/** Null when nginx can be run here; else why not (the caller fails under NINES_CI and skips elsewhere). */
export function nginxProblem(): string | null {
  if (!existsSync(NGINX_BIN)) return `no nginx at ${NGINX_BIN} (apt-get install nginx, or set NINES_NGINX)`;
  const version = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' });
  if (version.status !== 0) return `${NGINX_BIN} -v failed: ${version.stderr || version.error?.message}`;
  return null;
}

export interface Nginx {
  url: string;
  port: number;
  dir: string;
  child: Child;
  /** The access log so far: one line per request, with the upstream(s) nginx tried (`upstream=a, b`). */
  accessLog(): string;
  stop(): Promise<void>;
}

/** The config: everything nginx writes stays under `dir`; `upstreams` are host:port of the collectors. */
export function nginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  // As root the master would hand the workers to `nobody`, who cannot write the temp dirs inside the test's 0700
  // dir; elsewhere the directive is ignored (with a warning), so it is only written for root.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const temp = (name: string) => join(dir, 'temp', name);
  return `${user}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 1024; }
http {
  log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr';
  access_log ${join(dir, 'access.log')} upstreams;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream collectors {
    # One refused connect marks a collector failed for 10 s: new connections go to the others meanwhile.
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=10s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    # A refused or reset connect (a killed collector) is tried on the next server; a request a collector answered is
    # never repeated elsewhere. Short connect timeout: on loopback a live collector accepts at once.
    proxy_next_upstream error timeout;
    proxy_connect_timeout 2s;
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    location /ws/ {
      proxy_pass http://collectors;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # An agent's socket lives for hours; the collector's pings keep it busy well within this.
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }
    location / {
      proxy_pass http://collectors;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Starts nginx in front of `upstreams`; resolved once it accepts connections. */
export async function startNginx(upstreams: readonly string[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-e2e-nginx-'));
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'temp', name), { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, upstreams));
  // In the foreground, so it is this child and dies with the test's teardown; -e: the error log before the config is
  // read (else the compiled-in /var/log/nginx/error.log is opened first).
  const child = new Child('nginx', spawn(NGINX_BIN, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const stop = async () => {
    await child.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil('nginx to accept connections', async () => {
      if (!child.running) throw new Error(`nginx exited early:\n${child.output}\n${readOptional(join(dir, 'error.log'))}`);
      return (await accepts(port)) ? true : undefined;
    }, 10_000, 100);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`, port, dir, child, stop,
    accessLog: () => readOptional(join(dir, 'access.log')),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
