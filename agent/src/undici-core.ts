/**
 * The parts of undici the agent uses (Agent, buildConnector, request), imported from undici's own modules
 * rather than its index: the index also loads fetch, WebSocket, EventSource, the cache and mocks, which
 * make up about two thirds of undici in the bundle and ~10 MiB of the agent's resident memory for code
 * it never runs. Same classes, same behaviour; `request` is undici's own `makeDispatcher` minus the
 * global dispatcher (the agent always names one).
 */
import AgentClass from 'undici/lib/dispatcher/agent.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';
import dispatcherApi from 'undici/lib/api/index.js';
import buildConnectorFn from 'undici/lib/core/connect.js';
import type * as Undici from 'undici';

Object.assign((DispatcherClass as { prototype: object }).prototype, dispatcherApi); // what undici's index does

export const Agent = AgentClass as typeof Undici.Agent;
export type Agent = Undici.Agent;
export type { Dispatcher } from 'undici';
export const buildConnector = buildConnectorFn as typeof Undici.buildConnector;

/**
 * Connect options for the agent's short-lived connections (http checks, the PBS probe, enrollment): no TCP
 * keepalive. undici turns it on by default (60 s idle), and Wine 8 rejects that option (IPPROTO_TCP optname 3,
 * TCP_KEEPALIVE: "Unknown IPPROTO_TCP optname 0x00000003"), which failed every such request of the Windows
 * executable there. Keepalive buys these connections nothing: undici drops an idle pooled one after 4 s.
 */
export const PROBE_CONNECT = { keepAlive: false } as const;

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method?: Undici.Dispatcher.HttpMethod; dispatcher: Undici.Dispatcher };

/** undici's `request(url, options)` with an explicit dispatcher. */
export function request(url: string | URL, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const target = typeof url === 'string' ? new URL(url) : url;
  return dispatcher.request({
    ...rest,
    origin: target.origin,
    path: target.search ? `${target.pathname}${target.search}` : target.pathname,
    method: options.method ?? (options.body ? 'PUT' : 'GET'),
  });
}
