import { connect, type Socket } from 'node:net';
import { coded, netFailureMessage, parseDuration, withCode } from '@nines/shared';
import { errorMessage, thresholdStatus, type CheckDefinition, type CheckOutcome } from './check.ts';

const MAX_BANNER_BYTES = 64 * 1024; // a banner is a line or two; a server that streams more is not one we wait for

/** Resolves with the connect time in ms, or rejects with the socket's error. */
export function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<number> {
  return connectSocket(host, port, signal).then(({ socket, latency }) => {
    socket.destroy();
    return latency;
  });
}

function connectSocket(host: string, port: number, signal: AbortSignal): Promise<{ socket: Socket; latency: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port, signal });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve({ socket, latency: Math.round(performance.now() - started) });
    });
    socket.once('error', reject);
  });
}

/**
 * Reads from a connected socket until `expected` shows up, the server closes, the limit is reached or the
 * signal aborts. Resolves with all text read, whether or not it matched; the caller decides.
 */
export function readUntil(socket: Socket, expected: string, signal: AbortSignal): Promise<{ text: string; ended: string | null }> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (ended: string | null) => {
      socket.removeAllListeners('data');
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
      signal.removeEventListener('abort', onAbort);
      resolve({ text, ended });
    };
    const onEnd = () => finish('the server closed the connection');
    const onError = (error: Error) => finish(errorMessage(error));
    const onAbort = () => finish('timed out');
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes(expected)) finish(null);
      else if (text.length >= MAX_BANNER_BYTES) finish(`no match in the first ${MAX_BANNER_BYTES} bytes`);
    });
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Shows what a server sent, on one line: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n" → "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3". */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const tcp = {
  kind: 'tcp',
  async run(config, ctx): Promise<CheckOutcome> {
    const target = `${config.host}:${config.port}`;
    let socket: Socket;
    let latency: number;
    try {
      ({ socket, latency } = await connectSocket(config.host, config.port, ctx.signal));
    } catch (error) {
      const failure = netFailureMessage(error, target, ctx.signal.aborted ? { timedOutAfterMs: ctx.timeoutMs } : { host: config.host });
      return { status: 'CRIT', ...failure, metrics: {} };
    }
    try {
      const metrics = { latency_ms: latency };
      if (config.send !== undefined) socket.write(config.send);
      let banner = '';
      if (config.expectBanner !== undefined) {
        const read = await readUntil(socket, config.expectBanner, ctx.signal);
        if (read.ended !== null) {
          const got = read.text ? `got "${oneLine(read.text)}"` : 'got nothing';
          const ended = read.ended === 'timed out' ? 'timeout' : read.ended.startsWith('no match') ? 'limit' : read.ended.startsWith('the server closed') ? 'closed' : 'error';
          const code = withCode('tcp.banner_missing', { target, latencyMs: latency, expected: config.expectBanner, ended, got: read.text ? oneLine(read.text) : undefined });
          return { status: 'CRIT', message: `${target} connected in ${latency} ms but "${config.expectBanner}" not received (${read.ended}; ${got})`, ...code, metrics };
        }
        banner = oneLine(read.text);
      }
      const warn = config.latencyWarn === undefined ? undefined : parseDuration(config.latencyWarn);
      const crit = config.latencyCrit === undefined ? undefined : parseDuration(config.latencyCrit);
      const status = thresholdStatus(latency, warn, crit);
      const slowerThanMs = status === 'OK' ? undefined : status === 'CRIT' ? crit : warn;
      return { status, ...coded('tcp.connected', { target, latencyMs: latency, slowerThanMs, banner: config.expectBanner !== undefined ? banner : undefined }), metrics };
    } finally {
      socket.destroy();
    }
  },
} satisfies CheckDefinition<'tcp'>;
