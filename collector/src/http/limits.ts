/** The HTTP server's limits that operators may set (settings: env > file > default); documented in docs/configuration.md. */
import { isIP } from 'node:net';

export interface HttpLimits {
  /**
   * Addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed. Default none: the peer address is
   * the client, and a header anyone can send changes nothing.
   */
  trustedProxies: readonly string[];
  /** A request's headers and body must arrive whole within this (ms); a half-sent body does not hold a socket. */
  requestTimeoutMs: number;
  /** A socket with no traffic for this long (ms) is closed. Above the 30 s WebSocket ping so live sockets stay. */
  idleTimeoutMs: number;
}

export const HTTP_LIMIT_DEFAULTS: HttpLimits = { trustedProxies: [], requestTimeoutMs: 30_000, idleTimeoutMs: 75_000 };

export function httpLimitsOf(partial: Partial<HttpLimits> = {}): HttpLimits {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<HttpLimits>;
  const limits = { ...HTTP_LIMIT_DEFAULTS, ...defined };
  for (const proxy of limits.trustedProxies) {
    if (!isProxyAddress(proxy)) throw new Error(`trustedProxies: "${proxy}" is not an IP address or CIDR (e.g. 127.0.0.1, 10.0.0.0/8, ::1)`);
  }
  for (const [name, value] of [['requestTimeoutMs', limits.requestTimeoutMs], ['idleTimeoutMs', limits.idleTimeoutMs]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of milliseconds above 0, not "${String(value)}"`);
  }
  return limits;
}

export function isProxyAddress(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}
