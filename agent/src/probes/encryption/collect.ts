import type { EncryptionCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { EncryptionProbeError, parseBitLocker, parseFdesetup, parseLsblk, type VolumeState } from './parse.ts';

export interface EncryptionContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> {
  platform: NodeJS.Platform;
}

export const BITLOCKER_SCRIPT =
  "$ErrorActionPreference = 'Stop'; ConvertTo-Json -Compress -InputObject @(Get-BitLockerVolume | ForEach-Object { [pscustomobject]@{ MountPoint = $_.MountPoint; VolumeType = [string]$_.VolumeType; ProtectionStatus = [string]$_.ProtectionStatus; VolumeStatus = [string]$_.VolumeStatus; EncryptionPercentage = $_.EncryptionPercentage; LockStatus = [string]$_.LockStatus } })";

export function systemVolumes(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['C:'] : ['/'];
}

export async function collectEncryption(ctx: EncryptionContext, config: Pick<EncryptionCheckConfig, 'volumes'>): Promise<VolumeState[]> {
  const wanted = config.volumes ?? systemVolumes(ctx.platform);
  if (ctx.platform === 'win32') {
    let volumes: VolumeState[];
    try {
      volumes = parseBitLocker(await powershellJson(ctx, BITLOCKER_SCRIPT));
    } catch (error) {
      if (!(error instanceof PowerShellError)) throw error;
      const hint = /not recognized|CommandNotFound/i.test(error.message) ? ' (BitLocker is not available on this Windows edition)' : /denied|administrator/i.test(error.message) ? ' (Get-BitLockerVolume needs an administrator)' : '';
      throw new EncryptionProbeError(`Get-BitLockerVolume: ${error.message}${hint}`);
    }
    return wanted.map((w) => volumes.find((v) => v.volume === w.toUpperCase().replace(/\\$/, '')) ?? { volume: w, protection: 'off' as const, method: 'BitLocker' });
  }
  if (ctx.platform === 'darwin') {
    const run = await ctx.exec('fdesetup', ['status'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    if (run.code !== 0) throw new EncryptionProbeError(`fdesetup status: ${describeExecFailure(run)}`);
    return [parseFdesetup(run.stdout)];
  }
  const run = await ctx.exec('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINTS'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code !== 0) throw new EncryptionProbeError(`lsblk: ${describeExecFailure(run)}`);
  return parseLsblk(run.stdout, wanted);
}
