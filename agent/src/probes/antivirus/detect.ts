import type { AntivirusCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';

/**
 * The antivirus check where a scanner is in use: Windows always (Defender, or the product the Security Center
 * names), macOS always (XProtect is part of the system); elsewhere where ClamAV is installed. No distribution
 * installs ClamAV by default (Debian: priority optional), so clamscan on PATH is someone's decision to scan; a
 * ClamAV whose database never arrived is not an unused install but a scanner that recognises nothing because
 * its updates never worked — which is what the check is for (CRIT "no signature database"). Leaving it out
 * hid exactly that on this CI machine (clamav installed, freshclam without network).
 */
export async function autoAntivirusCheck(ctx: AutoDetectContext): Promise<AntivirusCheckConfig | undefined> {
  const check: AntivirusCheckConfig = { kind: 'antivirus', id: 'antivirus' };
  if (ctx.platform === 'win32' || ctx.platform === 'darwin') return check; // Defender, XProtect: always there
  return (await ctx.onPath('clamscan')) ? check : undefined;
}
