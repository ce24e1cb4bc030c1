import type { AdminsCheckConfig } from '@nines/shared';
import type { AutoDetectContext } from '../../auto-checks.ts';

/** Every machine has administrators: Windows and macOS always, Linux and the BSDs where getent answers. */
export async function autoAdminsCheck(ctx: AutoDetectContext): Promise<AdminsCheckConfig | undefined> {
  const check: AdminsCheckConfig = { kind: 'admins', id: 'admins' };
  if (ctx.platform === 'win32' || ctx.platform === 'darwin') return check;
  return (await ctx.onPath('getent')) ? check : undefined;
}
