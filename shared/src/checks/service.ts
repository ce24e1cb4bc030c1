import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';

export const ServiceCheckSchema = checkSchema(
  'service',
  {
    service: Type.String({
      minLength: 1,
      maxLength: 256,
      pattern: '^[^-\\s][^\\s]*$',
      description: 'systemd unit (nginx or nginx.service), Windows service name (Spooler) or launchd label (com.example.backup)',
    }),
  },
  'a system service is running: systemd unit on Linux, Windows service (sc query), launchd job on macOS',
);
export type ServiceCheckConfig = Static<typeof ServiceCheckSchema>;
