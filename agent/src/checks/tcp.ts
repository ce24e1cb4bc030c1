import { connect } from 'node:net';
import { parseDuration } from '@nines/shared';
import { errorMessage, thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';

/** Resolves with the connect time in ms, or rejects with the socket's error. */
export function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(Math.round(performance.now() - started));
    });
    socket.once('error', reject);
  });
}

export const tcp = {
  kind: 'tcp',
  async run(config, ctx): Promise<CheckOutcome> {
    const target = `${config.host}:${config.port}`;
    try {
      const latency = await tcpConnect(config.host, config.port, ctx.signal);
      const warn = config.latencyWarn === undefined ? undefined : parseDuration(config.latencyWarn);
      const crit = config.latencyCrit === undefined ? undefined : parseDuration(config.latencyCrit);
      const status = thresholdStatus(latency, warn, crit);
      return { status, message: `${target} accepted a connection in ${latency} ms`, metrics: { latency_ms: latency } };
    } catch (error) {
      const reason = ctx.signal.aborted ? `no connection within ${ctx.timeoutMs} ms` : errorMessage(error);
      return { status: 'CRIT', message: `${target}: ${reason}`, metrics: {} };
    }
  },
} satisfies CheckDefinition<'tcp'>;
