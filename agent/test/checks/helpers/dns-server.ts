/** A tiny authoritative DNS server on UDP loopback that answers real DNS packets (RFC 1035) from a zone map. */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export type ZoneRecord = { type: 'A' | 'AAAA' | 'CNAME' | 'NS'; value: string } | { type: 'MX'; priority: number; value: string } | { type: 'TXT'; value: string[] };
/** name → records; a name not in the zone gets NXDOMAIN; a name mapped to 'silent' gets no answer at all. */
export type Zone = Record<string, ZoneRecord[] | 'silent'>;

const TYPE_CODES = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function readQuestion(packet: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (packet[at] !== 0) {
    const length = packet[at]!;
    labels.push(packet.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += length + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: packet.readUInt16BE(at + 1), end: at + 5 };
}

function rdata(record: ZoneRecord): Buffer {
  switch (record.type) {
    case 'A':
      return Buffer.from(record.value.split('.').map(Number));
    case 'AAAA': {
      const [head = '', tail = ''] = record.value.split('::');
      const h = head ? head.split(':') : [];
      const tl = tail ? tail.split(':') : [];
      const groups = [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
      const out = Buffer.alloc(16);
      groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
      return out;
    }
    case 'CNAME':
    case 'NS':
      return encodeName(record.value);
    case 'MX': {
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(record.priority);
      return Buffer.concat([pref, encodeName(record.value)]);
    }
    case 'TXT':
      return Buffer.concat(record.value.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
  }
}

export function answer(query: Buffer, zone: Zone): Buffer | null {
  const question = readQuestion(query);
  const entry = zone[question.name];
  if (entry === 'silent') return null;
  const records = (entry ?? []).filter((r) => TYPE_CODES[r.type] === question.type);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8580 | (entry === undefined ? 3 : 0), 2); // QR AA RD RA, rcode NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((r) => {
    const data = rdata(r);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    fixed.writeUInt16BE(TYPE_CODES[r.type], 2);
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(300, 6);
    fixed.writeUInt16BE(data.length, 10);
    return Buffer.concat([fixed, data]);
  });
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}

/** Starts the server; resolves with "127.0.0.1:<port>" and a close function. */
export async function startDnsServer(zone: Zone): Promise<{ server: string; queries: number[]; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const queries: number[] = [];
  socket.on('message', (message, remote) => {
    queries.push(Date.now());
    const reply = answer(message, zone);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return { server: `127.0.0.1:${port}`, queries, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
