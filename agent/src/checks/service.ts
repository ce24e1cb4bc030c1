import { withCode, type ServiceCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { checkSystemdUnit } from './service.linux.ts';
import { checkWindowsService } from './service.win32.ts';
import { checkLaunchdJob } from './service.darwin.ts';

/** The service manager of a platform; tests pass the platform to reach every branch on one machine. */
export function checkServiceOn(platform: NodeJS.Platform, config: ServiceCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  switch (platform) {
    case 'linux':
      return checkSystemdUnit(config, ctx);
    case 'win32':
      return checkWindowsService(config, ctx);
    case 'darwin':
      return checkLaunchdJob(config, ctx);
    default:
      return Promise.resolve({ status: 'UNKNOWN', message: `service checks are not supported on ${platform}`, ...withCode('service.unsupported', { platform }) });
  }
}

export const service = {
  kind: 'service',
  run: (config, ctx) => checkServiceOn(process.platform, config, ctx),
} satisfies CheckDefinition<'service'>;
