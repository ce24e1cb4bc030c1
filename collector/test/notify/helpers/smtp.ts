import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A received mail, decoded enough for assertions: headers, subject (RFC 2047), text and html parts. */
export interface ReceivedMail {
  messageId: string;
  inReplyTo: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
  authUser: string | null;
  secure: boolean;
}

export interface TestSmtp {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once at least `count` mails arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** While on, the server answers MAIL FROM with 451 (a real refusal on the wire, as a full or broken relay does). */
  refuse(on: boolean): void;
  /**
   * Once `afterAccepted` mails are in `mails`, the next ones are read to their end but not answered: the sender waits
   * for the server's "250", as on a slow relay. `null` accepts the mails held (adds them to `mails`) and all after;
   * one whose connection ended meanwhile (the sender died) is dropped, as a real server drops a message it never
   * acknowledged.
   */
  hold(afterAccepted: number | null): void;
  /** The mails held now, unanswered. */
  held(): ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1; port 0 picks a free one. */
export async function startSmtp(options: { port?: number; auth?: { user: string; pass: string }; starttls?: boolean } = {}): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  let refusing = false;
  let holdAfter: number | null = null;
  const waiting: Array<{ session: string; mail: ReceivedMail; accept: () => void }> = [];
  const serverOptions: SMTPServerOptions = {
    onMailFrom(_address, _session, callback) {
      if (!refusing) return callback();
      callback(Object.assign(new Error('4.3.0 mailbox temporarily unavailable'), { responseCode: 451 }));
    },
    authOptional: !options.auth,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    allowInsecureAuth: !options.starttls,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = decode(Buffer.concat(chunks).toString('utf8'), (session.user as string | undefined) ?? null, session.secure);
        const accept = () => (mails.push(mail), callback());
        if (holdAfter !== null && mails.length >= holdAfter) waiting.push({ session: session.id, mail, accept });
        else accept();
      });
    },
    onClose(session) {
      for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i]!.session === session.id) waiting.splice(i, 1);
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    mails,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return mails;
    },
    refuse(on) {
      refusing = on;
    },
    hold(afterAccepted) {
      holdAfter = afterAccepted;
      if (afterAccepted === null) for (const { accept } of waiting.splice(0)) accept();
    },
    held: () => waiting.map((w) => w.mail),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function unfoldHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([\w-]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  }
  return body;
}

function decode(raw: string, authUser: string | null, secure: boolean): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = unfoldHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  let text = '';
  let html = '';
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw.slice(split)];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const partHeaders = boundary ? unfoldHeaders(part.slice(0, at)) : headers;
    const content = decodeBody((boundary ? part.slice(at) : part).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, ''), partHeaders.get('content-transfer-encoding'));
    if ((partHeaders.get('content-type') ?? '').startsWith('text/html')) html = content;
    else text = content;
  }
  return {
    messageId: headers.get('message-id') ?? '', inReplyTo: headers.get('in-reply-to') ?? null, to: headers.get('to') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''), text: text.replace(/\r\n/g, '\n'), html, raw, authUser, secure,
  };
}
