/** The service managers, one line each: the platform's `install` target. */
import { systemd } from './systemd.linux.ts';
import { launchd } from './launchd.darwin.ts';
import { windows } from './windows.win32.ts';
import type { ServiceManager } from './spec.ts';

export const serviceManagers = {
  linux: systemd,
  darwin: launchd,
  win32: windows,
} satisfies Partial<Record<NodeJS.Platform, ServiceManager>>;

export function serviceManagerFor(platform: NodeJS.Platform): ServiceManager {
  const manager = (serviceManagers as Partial<Record<NodeJS.Platform, ServiceManager>>)[platform];
  if (!manager) throw Object.assign(new Error(`installing as a service is not supported on ${platform} (supported: ${Object.keys(serviceManagers).join(', ')})`), { code: 'NINES_ERR_SERVICE_UNSUPPORTED' });
  return manager;
}
