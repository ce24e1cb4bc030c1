/** The dashboard talks only to /api/v1 and /ws/live, like any script would. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The double-submit CSRF token the collector set at login (a non-httpOnly cookie made for this). */
function csrfToken(): string {
  const match = /(?:^|;\s*)nines_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-nines-csrf'] = csrfToken();
  const response = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) throw new ApiError(response.status, data.code ?? 'NINES_ERR_HTTP', data.message ?? response.statusText);
  return data as T;
}
