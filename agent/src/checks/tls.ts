/** TLS certificate of any host:port (IMAPS, LDAPS, RDP gateways, SMTP with STARTTLS): trust, name, expiry. */
import { connect as tcpConnectSocket, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { netFailureMessage, withCode, type TlsCheckConfig } from '@nines/shared';
import { errorMessage, type CheckDefinition, type CheckOutcome } from './check.ts';
import { certificateFacts, gradeCertificate, trustedCaContext, trustedCas } from './cert.ts';

const MAX_SMTP_REPLY_BYTES = 16 * 1024; // an EHLO answer lists a dozen extensions; more is not SMTP

/** Reads one complete SMTP reply (multi-line "250-…" continued until "250 …"); rejects on close or abort. */
export function readSmtpReply(socket: Socket, signal: AbortSignal): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const cleanup = () => {
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const lines = buffer.split('\r\n');
      const complete = lines.slice(0, -1);
      const last = complete.at(-1);
      if (last !== undefined && /^\d{3}(?: |$)/.test(last)) {
        cleanup();
        resolve({ code: Number(last.slice(0, 3)), lines: complete });
      } else if (buffer.length > MAX_SMTP_REPLY_BYTES) {
        cleanup();
        reject(new Error(`SMTP reply longer than ${MAX_SMTP_REPLY_BYTES} bytes`));
      }
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`the server closed the connection${buffer ? ` after "${buffer.trim().slice(0, 80)}"` : ''}`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      reject(new Error('timed out waiting for the SMTP server'));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Greeting → EHLO → STARTTLS on a plain socket; resolves when the server says "220 ready to start TLS". */
export async function smtpStartTls(socket: Socket, signal: AbortSignal): Promise<void> {
  const greeting = await readSmtpReply(socket, signal);
  if (greeting.code !== 220) throw new Error(`SMTP greeting was ${greeting.lines.join(' ')}`);
  socket.write('EHLO nines-agent\r\n');
  const ehlo = await readSmtpReply(socket, signal);
  if (ehlo.code !== 250) throw new Error(`EHLO refused: ${ehlo.lines.join(' ')}`);
  if (!ehlo.lines.some((line) => /^250[- ]STARTTLS\b/i.test(line))) throw new Error('the server does not offer STARTTLS');
  socket.write('STARTTLS\r\n');
  const ready = await readSmtpReply(socket, signal);
  if (ready.code !== 220) throw new Error(`STARTTLS refused: ${ready.lines.join(' ')}`);
}

function plainConnect(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnectSocket({ host, port, signal });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The handshake never rejects for trust problems: we want to read and report the certificate either way. */
function handshake(options: { host: string; port: number; servername: string; ca?: string[]; socket?: Socket; signal: AbortSignal }): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: options.host,
      port: options.port,
      servername: /^[\d.]+$|:/.test(options.servername) ? undefined : options.servername, // SNI takes names, not IPs
      ...(options.socket ? { socket: options.socket } : {}),
      ...(options.ca ? { secureContext: trustedCaContext(options.ca) } : {}),
      rejectUnauthorized: false,
    });
    const onAbort = () => socket.destroy(new Error('timed out during the TLS handshake'));
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      options.signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

export const tls = {
  kind: 'tls',
  async run(config: TlsCheckConfig, ctx): Promise<CheckOutcome> {
    const target = `${config.host}:${config.port}${config.starttls ? ' (STARTTLS)' : ''}`;
    let ca: string[] | undefined;
    try {
      ca = await trustedCas(config.caFile);
    } catch (error) {
      const text = errorMessage(error);
      return { status: 'UNKNOWN', message: `${target}: ${text}`, ...withCode('check.error', { subject: target, error: text }) };
    }
    const started = performance.now();
    let plain: Socket | undefined;
    let secure: TLSSocket | undefined;
    try {
      if (config.starttls === 'smtp') {
        plain = await plainConnect(config.host, config.port, ctx.signal);
        await smtpStartTls(plain, ctx.signal);
      }
      secure = await handshake({ host: config.host, port: config.port, servername: config.servername ?? config.host, ca, socket: plain, signal: ctx.signal });
      const latency = Math.round(performance.now() - started);
      const facts = certificateFacts(secure);
      if (!facts) return { status: 'CRIT', message: `${target}: the server sent no certificate`, ...withCode('cert.none', { target }), metrics: { latency_ms: latency } };
      const grade = gradeCertificate(facts, ctx.clock(), { warnDays: config.certWarnDays, critDays: config.certCritDays });
      const protocol = secure.getProtocol() ?? 'TLS';
      return {
        status: grade.status,
        message: `${target}: ${grade.text} (${protocol}, issuer ${facts.issuer})`,
        ...withCode('cert.expires', { target, issuer: facts.issuer, protocol, ...grade.params }),
        metrics: { latency_ms: latency, ...grade.metrics },
        details: { subject: facts.subject, issuer: facts.issuer, validTo: facts.validToMs, trusted: facts.trusted, protocol },
      };
    } catch (error) {
      const failure = netFailureMessage(error, target, ctx.signal.aborted ? { timedOutAfterMs: ctx.timeoutMs } : { host: config.host });
      return { status: 'CRIT', ...failure, metrics: {} };
    } finally {
      secure?.destroy();
      plain?.destroy();
    }
  },
} satisfies CheckDefinition<'tls'>;
