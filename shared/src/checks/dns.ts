import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

// ip, ip:port, [ipv6] or [ipv6]:port, as node's dns.Resolver#setServers accepts them
const SERVER_PATTERN = '^(\\d{1,3}(\\.\\d{1,3}){3}(:\\d{1,5})?|\\[[0-9a-fA-F:.]+\\](:\\d{1,5})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$';

export const DnsCheckSchema = checkSchema(
  'dns',
  {
    query: Type.String({ minLength: 1, maxLength: 253, description: 'the name to resolve, e.g. mail.example.de' }),
    recordType: Type.Optional(
      Type.Union(DNS_RECORD_TYPES.map((t) => Type.Literal(t)), { default: 'A', description: DNS_RECORD_TYPES.join(', ') }),
    ),
    server: Type.Optional(
      Type.String({
        pattern: SERVER_PATTERN,
        description: 'DNS server IP to ask, optionally with port: "192.168.1.1", "127.0.0.1:5353", "[::1]:53"; default the system resolver',
      }),
    ),
    expect: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'answers that must all be present, e.g. ["203.0.113.7"]; MX as "10 mx.example.de", TXT as its joined text',
      }),
    ),
    latencyWarn: Type.Optional(DurationSchema),
    latencyCrit: Type.Optional(DurationSchema),
  },
  'DNS lookup (A, AAAA, MX, TXT, CNAME, NS) via the system or a chosen server, with an expected answer',
);
export type DnsCheckConfig = Static<typeof DnsCheckSchema>;
