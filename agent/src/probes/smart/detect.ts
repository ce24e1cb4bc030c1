import type { SmartCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';
import { smartDevices } from './collect.ts';

/**
 * The disk-health check, where it applies: smartctl is installed and sees at least one disk. A virtual
 * machine or container has none, and a check that can only ever say "no disks" would be noise there.
 */
export async function autoSmartCheck(ctx: AutoDetectContext): Promise<SmartCheckConfig | undefined> {
  if (ctx.platform === 'win32' || !(await ctx.onPath('smartctl'))) return undefined;
  try {
    const devices = await smartDevices(ctx, {});
    return devices.length > 0 ? { kind: 'smart', id: 'disk-health' } : undefined;
  } catch {
    return undefined; // smartctl too old for -j, or broken: nothing to detect
  }
}
