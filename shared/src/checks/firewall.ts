import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const FIREWALL_BACKENDS = ['nftables', 'ufw', 'firewalld', 'windows', 'macos'] as const;
export type FirewallBackend = (typeof FIREWALL_BACKENDS)[number];

export const FIREWALL_DEFAULT_INTERVAL_MS = 300_000; // a switched-off firewall matters within minutes, and the look is cheap

export const FirewallCheckSchema = checkSchema(
  'firewall',
  {
    backend: Type.Optional(
      Type.Union([Type.Literal('auto'), ...FIREWALL_BACKENDS.map((b) => Type.Literal(b))], {
        default: 'auto',
        description: 'firewall to ask; auto: Windows Firewall, the macOS application firewall, or on Linux ufw, firewalld, then the nftables ruleset',
      }),
    ),
    inactiveStatus: Type.Optional(Type.Union([Type.Literal('WARN'), Type.Literal('CRIT')], { description: 'status when no firewall filters inbound traffic (default CRIT)' })),
  },
  'whether a host firewall is on and filters inbound traffic: Windows Firewall profiles, nftables, ufw, firewalld, macOS application firewall',
);
export type FirewallCheckConfig = Static<typeof FirewallCheckSchema>;
