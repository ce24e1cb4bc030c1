import type { EncryptionCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';

/**
 * The encryption check where the machine can encrypt: macOS always (FileVault), Windows where the BitLocker
 * cmdlets exist (not on Home editions), Linux where a LUKS/dm-crypt device exists — a server installed without
 * one would only ever say "not encrypted", which nobody there will change.
 */
export async function autoEncryptionCheck(ctx: AutoDetectContext): Promise<EncryptionCheckConfig | undefined> {
  const check: EncryptionCheckConfig = { kind: 'encryption', id: 'encryption' };
  if (ctx.platform === 'darwin') return check;
  if (ctx.platform === 'win32') {
    const run = await ctx.exec('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', 'if (Get-Command Get-BitLockerVolume -ErrorAction SilentlyContinue) { "yes" }'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    return run.code === 0 && run.stdout.trim() === 'yes' ? check : undefined;
  }
  if (ctx.platform !== 'linux') return undefined;
  const run = await ctx.exec('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE'], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  return run.code === 0 && /"type":\s*"crypt"|"fstype":\s*"crypto_LUKS"/.test(run.stdout) ? check : undefined;
}
