import type { PendingUpdate } from '../types.ts';

/**
 * What WINDOWS_UPDATE_SCRIPT prints: one JSON object built from the Windows Update Agent's
 * IUpdateSearcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'") result (IUpdate: Title,
 * KBArticleIDs, MsrcSeverity, Categories[].Name) and the reboot-pending registry keys.
 */
export interface WindowsUpdateReport {
  updates: { Title: string; KB: string[]; MsrcSeverity: string | null; Categories: string[] }[];
  rebootPending: { WindowsUpdate: boolean; ComponentServicing: boolean; PendingFileRename: boolean };
}

export interface WindowsUpdateState {
  updates: PendingUpdate[];
  rebootRequired: boolean;
  rebootReason?: string;
}

export function parseWindowsUpdateReport(text: string): WindowsUpdateState {
  const start = text.indexOf('{');
  if (start < 0) throw new Error('no JSON object in the PowerShell output');
  let report: WindowsUpdateReport;
  try {
    report = JSON.parse(text.slice(start)) as WindowsUpdateReport;
  } catch (error) {
    throw new Error(`PowerShell output is not JSON: ${(error as Error).message}`);
  }
  // ConvertTo-Json turns a one-element array into a bare object, and an empty one into null.
  const raw: unknown = report.updates;
  const list = raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (!report.rebootPending || typeof report.rebootPending !== 'object') throw new Error('report lacks rebootPending');
  const updates = list.map((u: WindowsUpdateReport['updates'][number]) => {
    if (typeof u?.Title !== 'string') throw new Error('an update without a Title');
    const categories = ([] as string[]).concat(u.Categories ?? []);
    const kb = ([] as string[]).concat(u.KB ?? []);
    const update: PendingUpdate = {
      name: kb.length ? `KB${kb[0]}` : u.Title,
      security: categories.includes('Security Updates') || Boolean(u.MsrcSeverity),
      origin: u.Title,
    };
    return update;
  });
  const keys = Object.entries(report.rebootPending).filter(([, set]) => set === true).map(([k]) => k);
  // PendingFileRenameOperations alone is set by many installers and often stale: reported, not counted.
  const due = keys.filter((k) => k !== 'PendingFileRename');
  return due.length ? { updates, rebootRequired: true, rebootReason: `registry: ${due.join(', ')}` } : { updates, rebootRequired: false };
}
