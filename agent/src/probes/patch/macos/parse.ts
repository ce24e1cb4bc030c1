import type { PendingUpdate } from '../types.ts';

export interface SoftwareUpdateList {
  updates: PendingUpdate[];
  /** Some listed update says "Action: restart" ([restart] before macOS 10.15): installing it will need a reboot. */
  restartToInstall: boolean;
}

const SECURITY_TITLE = /Security (Update|Response|Improvement)/i;

/**
 * `softwareupdate -l` (stdout and stderr together: "No new software available." goes to stderr).
 * macOS 10.15+: "* Label: <label>" then a tab-indented "Title: …, Version: …, Action: restart,"
 * Before: "   * <label>" then a tab-indented "<title> (<version>), <size>K [recommended] [restart]".
 */
export function parseSoftwareUpdateList(text: string): SoftwareUpdateList {
  if (/No new software available\./.test(text)) return { updates: [], restartToInstall: false };
  if (!/Software Update found the following new or updated software:/.test(text)) {
    throw new Error('softwareupdate -l printed neither a list nor "No new software available."');
  }
  const lines = text.split(/\r?\n/);
  const updates: PendingUpdate[] = [];
  let restartToInstall = false;
  for (let i = 0; i < lines.length; i++) {
    const label = /^\s*\* (?:Label: )?(.+?)\s*$/.exec(lines[i]!);
    if (!label) continue;
    const detail = lines[i + 1] ?? '';
    const modern = /^\s+Title: (.*?), Version: ([^,]*),/.exec(detail);
    const legacy = /^\s+(.*?) \(([^)]*)\), \d+K/.exec(detail);
    const title = modern?.[1] ?? legacy?.[1] ?? label[1]!;
    const version = modern?.[2] ?? legacy?.[2];
    if (/Action: restart|\[restart\]/.test(detail)) restartToInstall = true;
    const update: PendingUpdate = { name: label[1]!, security: SECURITY_TITLE.test(title) || SECURITY_TITLE.test(label[1]!), origin: title };
    if (version) update.candidate = version;
    updates.push(update);
  }
  if (updates.length === 0) throw new Error('softwareupdate -l announced updates but none could be read');
  return { updates, restartToInstall };
}
