import { startService } from './service.ts';

/** A loopback URL nothing listens on any more (a service started and closed), so a connection to it is refused. */
export async function refusedUrl(): Promise<string> {
  const service = await startService();
  await service.close();
  return service.url;
}
