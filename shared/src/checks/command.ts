import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const CommandCheckSchema = checkSchema(
  'command',
  {
    command: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'program and arguments, run without a shell: ["/usr/lib/nagios/plugins/check_disk", "-w", "10%", "-p", "/"]',
    }),
    cwd: Type.Optional(Type.String({ minLength: 1 })),
    env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String())),
  },
  'run a program (Nagios plugin convention: exit 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN; performance data becomes metrics)',
);
export type CommandCheckConfig = Static<typeof CommandCheckSchema>;
