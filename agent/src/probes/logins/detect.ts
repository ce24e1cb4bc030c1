import type { LoginsCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';

const SSHD_PATHS = ['/usr/sbin/sshd', '/usr/bin/sshd', '/usr/local/sbin/sshd'];

/** The logins check where someone can log in from afar: Windows always (RDP, SMB), Linux and macOS where sshd is installed. */
export async function autoLoginsCheck(ctx: AutoDetectContext): Promise<LoginsCheckConfig | undefined> {
  const check: LoginsCheckConfig = { kind: 'logins', id: 'logins' };
  if (ctx.platform === 'win32') return check;
  if (ctx.platform !== 'linux') return undefined; // macOS logs sshd to the unified log, which this check does not read yet
  for (const path of SSHD_PATHS) if (await ctx.exists(path)) return check;
  return undefined;
}
