import type { AntivirusCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';

const CLAMAV_DATABASES = ['/var/lib/clamav', '/usr/local/share/clamav', '/opt/homebrew/var/lib/clamav'];

/**
 * The antivirus check where a scanner is in use: Windows always (Defender, or the product the Security Center
 * names), macOS always (XProtect is part of the system); elsewhere where ClamAV is installed and freshclam has fetched a database at least once. A clamav
 * package that never got a database is an install nobody uses, not a scanner that stopped.
 */
export async function autoAntivirusCheck(ctx: AutoDetectContext): Promise<AntivirusCheckConfig | undefined> {
  const check: AntivirusCheckConfig = { kind: 'antivirus', id: 'antivirus' };
  if (ctx.platform === 'win32' || ctx.platform === 'darwin') return check; // Defender, XProtect: always there
  if (!(await ctx.onPath('clamscan'))) return undefined;
  for (const dir of CLAMAV_DATABASES) {
    for (const file of ['daily.cvd', 'daily.cld']) if (await ctx.exists(`${dir}/${file}`)) return check;
  }
  return undefined;
}
