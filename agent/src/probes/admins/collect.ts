import { byCodeUnit } from '@nines/shared';
import { readFile, writeFile, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminsCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { AdminsProbeError, parseDsclMembership, parseGetentGroups, parseUidZero, parseWindowsAdmins } from './parse.ts';

export interface AdminsContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> {
  platform: NodeJS.Platform;
}

export const DEFAULT_ADMIN_GROUPS = ['sudo', 'wheel', 'admin'];
// By SID, because the group's name is translated ("Administratoren" on a German Windows)
export const WINDOWS_ADMINS_SCRIPT =
  "$ErrorActionPreference = 'Stop'; ConvertTo-Json -Compress -InputObject @(Get-LocalGroupMember -SID S-1-5-32-544 | ForEach-Object { [pscustomobject]@{ Name = $_.Name; SID = $_.SID.Value } })";

async function run(ctx: AdminsContext, file: string, args: string[], okCodes: number[] = [0]) {
  const result = await ctx.exec(file, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (result.code === null || !okCodes.includes(result.code)) throw new AdminsProbeError(`${file} ${args.join(' ')}: ${describeExecFailure(result)}`);
  return result.stdout;
}

/** The names that hold admin rights, sorted and without duplicates. */
export async function collectAdmins(ctx: AdminsContext, config: Pick<AdminsCheckConfig, 'groups'>): Promise<{ group: string; members: string[] }> {
  if (ctx.platform === 'win32') {
    try {
      return { group: 'Administrators', members: unique(parseWindowsAdmins(await powershellJson(ctx, WINDOWS_ADMINS_SCRIPT))) };
    } catch (error) {
      if (!(error instanceof PowerShellError)) throw error;
      // Get-LocalGroupMember fails on a member whose SID no longer resolves (a deleted domain account), error 1789
      const hint = /1789|trust relationship/i.test(error.message) ? ' (a member is an orphaned SID: remove it in lusrmgr.msc)' : '';
      throw new AdminsProbeError(`Get-LocalGroupMember: ${error.message}${hint}`);
    }
  }
  if (ctx.platform === 'darwin') {
    return { group: 'admin', members: unique(parseDsclMembership(await run(ctx, 'dscl', ['.', '-read', '/Groups/admin', 'GroupMembership']))) };
  }
  const groups = config.groups ?? DEFAULT_ADMIN_GROUPS;
  // getent exits 2 when one of several keys does not exist (wheel on Debian) but still prints the others
  const grouped = parseGetentGroups(await run(ctx, 'getent', ['group', ...groups], [0, 2]));
  const root = parseUidZero(await run(ctx, 'getent', ['passwd']));
  return { group: groups.join(', '), members: unique([...grouped, ...root]) };
}

function unique(names: string[]): string[] {
  return [...new Set(names)].sort(byCodeUnit);
}

const statePath = (stateDir: string, id: string) => join(stateDir, 'admins', `${id}.json`);

export async function readBaseline(stateDir: string, id: string): Promise<string[] | undefined> {
  try {
    const data = JSON.parse(await readFile(statePath(stateDir, id), 'utf8')) as unknown;
    if (!Array.isArray(data) || !data.every((n) => typeof n === 'string')) throw new AdminsProbeError(`${statePath(stateDir, id)} is not a list of names`);
    return data as string[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeBaseline(stateDir: string, id: string, names: readonly string[]): Promise<void> {
  await mkdir(join(stateDir, 'admins'), { recursive: true });
  const path = statePath(stateDir, id);
  await writeFile(`${path}.tmp`, JSON.stringify(names));
  await rename(`${path}.tmp`, path);
}
