/** Administrator lists → names. Pure. */
import { asList } from '../powershell.ts';

export class AdminsProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminsProbeError';
  }
}

/** `getent group sudo wheel admin`: "sudo:x:27:alice,bob" per group that exists. */
export function parseGetentGroups(stdout: string): string[] {
  const members: string[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(':');
    if (fields.length < 4) continue;
    for (const name of fields[3]!.split(',')) if (name.trim()) members.push(name.trim());
  }
  return members;
}

/** `getent passwd`: every account with uid 0 is root, whatever its name. */
export function parseUidZero(stdout: string): string[] {
  return stdout.split('\n').flatMap((line) => {
    const fields = line.split(':');
    return fields.length >= 3 && fields[2] === '0' && fields[0] ? [fields[0]] : [];
  });
}

/** The Windows script's JSON: [{Name: "PC-EMPFANG\\Administrator", SID: "S-1-5-21-…-500"}]. */
export function parseWindowsAdmins(value: unknown): string[] {
  return asList(value).map((raw) => {
    const m = raw as { Name?: unknown; SID?: unknown };
    if (typeof m.Name === 'string' && m.Name) return m.Name;
    if (typeof m.SID === 'string' && m.SID) return m.SID; // an orphaned SID (deleted domain account) has no name
    throw new AdminsProbeError(`Administrators member without name or SID: ${JSON.stringify(raw).slice(0, 120)}`);
  });
}

/** `dscl . -read /Groups/admin GroupMembership`: "GroupMembership: root alice". */
export function parseDsclMembership(stdout: string): string[] {
  const m = /^GroupMembership:(.*)$/m.exec(stdout);
  if (!m) throw new AdminsProbeError(`dscl printed no GroupMembership: "${stdout.trim().slice(0, 120)}"`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}
