import type { FastifyInstance } from 'fastify';
import type { Settings } from '../settings.ts';
import { readConfigFile } from '../settings.ts';
import { loadOrCreateAckSecret } from './ack-link.ts';

/**
 * Starts delivery in a running collector from its YAML config (`smtp:`, `channels:` and `alerting:` sections),
 * with the acknowledge-link secret from the data dir. Without `smtp:` notices wait in the outbox.
 */
export async function startAlertingFromConfig(app: FastifyInstance, settings: Settings, configPath: string | undefined): Promise<void> {
  const service = app.alerting;
  const file = configPath ? readConfigFile(configPath) : {};
  await service.start({
    smtp: file.smtp,
    channels: file.channels,
    alerting: file.alerting,
    secret: loadOrCreateAckSecret(settings.dataDir),
    publicUrl: settings.publicUrl,
  });
}
