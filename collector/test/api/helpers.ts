import { hashPassword } from '../../src/auth/secrets.ts';
import { startCollector, type TestCollector } from '../helpers/collector.ts';

export const PASSWORD = 'correct horse battery';

/** A browser-like session: the cookies the collector set, and the CSRF header value from them. */
export interface Session {
  cookie: string;
  csrf: string;
  /** fetch against the collector with this session's cookies (and the CSRF header unless `csrf: false`). */
  request(method: string, path: string, body?: unknown, options?: { csrf?: boolean }): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export interface World {
  c: TestCollector;
  acme: number;
  globex: number;
  /** One agent per client, enrolled straight in the store. */
  acmeAgent: { agentId: string; secret: string };
  globexAgent: { agentId: string; secret: string };
  admin: Session;
  /** A read-only user of client "acme". */
  acmeUser: Session;
}

export function cookiesOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return out;
}

export async function login(url: string, username: string, password = PASSWORD): Promise<Session> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
  const cookies = cookiesOf(response);
  const cookie = `nines_session=${cookies.nines_session}; nines_csrf=${cookies.nines_csrf}`;
  const csrf = cookies.nines_csrf!;
  const request = (method: string, path: string, body?: unknown, options: { csrf?: boolean } = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        ...(options.csrf === false ? {} : { 'x-nines-csrf': csrf }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    cookie, csrf, request,
    async json<T>(method: string, path: string, body?: unknown) {
      const response = await request(method, path, body);
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/** Two tenants, an agent each, an admin and a client user of "acme": the cast of most API tests. */
export async function startWorld(options: Parameters<typeof startCollector>[0] = {}): Promise<World> {
  const c = await startCollector(options);
  const acmeAgent = await c.addAgent('acme');
  const globexAgent = await c.addAgent('globex');
  const acme = (await c.store.findClient('acme'))!.id;
  const globex = (await c.store.findClient('globex'))!.id;
  const hash = await hashPassword(PASSWORD);
  await c.store.createUser({ username: 'admin', passwordHash: hash, role: 'admin' }, Date.now());
  await c.store.createUser({ username: 'anna', passwordHash: hash, role: 'client', clientId: acme }, Date.now());
  return { c, acme, globex, acmeAgent: acmeAgent, globexAgent: globexAgent, admin: await login(c.url, 'admin'), acmeUser: await login(c.url, 'anna') };
}
