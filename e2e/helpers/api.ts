/** The collector's public HTTP API as a script uses it: log in once as admin, then an API token (Bearer). */
import type { CollectorProcess } from './processes.ts';

export interface Api {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>;
}

export async function adminApi(collector: CollectorProcess): Promise<Api> {
  const login = await fetch(`${collector.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: collector.adminPassword() }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const me = (await login.json()) as { csrfToken: string };
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${collector.url}/api/v1/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies, 'x-nines-csrf': me.csrfToken },
    // The smallest scope the suite needs (it adds recipients and maintenance), valid for the run only.
    body: JSON.stringify({ name: 'e2e', scope: 'admin', expiresAt: Date.now() + 3_600_000 }),
  });
  if (created.status !== 201) throw new Error(`token: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${collector.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

export interface Availability {
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
  availability: number | null;
  availabilityPercent: string | null;
  coverage: number | null;
}

export function checkAvailability(api: Api, agentId: string, checkId: string, from: number, to: number): Promise<Availability> {
  return api.get<Availability>(`/api/v1/availability?scope=check&id=${encodeURIComponent(`${agentId}/${checkId}`)}&from=${from}&to=${to}`);
}

export interface HistoryPoint {
  at: number;
  status: 'OK' | 'WARN' | 'CRIT' | 'UNKNOWN';
}

/** The stored results of a check (their startedAt and status), from the history endpoint the charts use. */
export async function checkResults(api: Api, agentId: string, checkId: string, from: number, to: number): Promise<HistoryPoint[]> {
  const history = await api.get<{ points: HistoryPoint[]; truncated: boolean }>(
    `/api/v1/agents/${encodeURIComponent(agentId)}/checks/${encodeURIComponent(checkId)}/history?from=${from}&to=${to}`,
  );
  if (history.truncated) throw new Error('history truncated');
  return history.points;
}

/** The first stored result of a check; the check itself exists in the collector only from its first result on. */
export async function firstResult(api: Api, agentId: string, checkId: string, since: number, timeoutMs = 30_000): Promise<HistoryPoint> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await api.get<{ checks: Array<{ id: string }> }>(`/api/v1/agents/${encodeURIComponent(agentId)}`);
    if (detail.checks.some((c) => c.id === checkId)) {
      const [point] = await checkResults(api, agentId, checkId, since, Date.now() + 1);
      if (point) return point;
    }
    if (Date.now() > deadline) throw new Error(`no result of ${checkId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
