/** Virus scanner answers → typed state. Pure. */
import type { EpochMs } from '@nines/shared';
import { asList, powershellDate } from '../powershell.ts';

export class AntivirusProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AntivirusProbeError';
  }
}

export interface AntivirusState {
  product: string;
  /** Which scanner answered: the evaluation's defaults and what it can ask (scans, threats) differ. */
  scanner: 'defender' | 'clamav' | 'xprotect';
  /** The scanner runs and protects in real time (Defender real-time protection; ClamAV: clamd running, or on demand only). */
  realTimeOn?: boolean;
  serviceOn: boolean;
  signaturesAt?: EpochMs;
  lastScanAt?: EpochMs;
  threats: { name: string; at: EpochMs }[];
  /** Defender in passive mode: another registered product protects the machine. */
  passive?: boolean;
  /** Other products the Windows Security Center knows, enabled or not. */
  others?: { name: string; enabled: boolean; upToDate: boolean }[];
}

// Defender writes 0001-01-01 (or 1601) for "never", a scan that never ran: no date
const date = (value: unknown): EpochMs | undefined => powershellDate(value);

/**
 * The Windows script's JSON: {status: Get-MpComputerStatus fields, dates as ISO UTC strings (a raw ConvertTo-Json
 * object with "/Date(ms)/" dates reads the same); threats: [{Name, At}];
 * products: SecurityCenter2 AntiVirusProduct [{displayName, productState}]}. status is null when Defender
 * does not answer (removed, or switched off by a third-party product).
 */
export function parseDefender(value: unknown): AntivirusState {
  const data = value as { status?: Record<string, unknown> | null; threats?: unknown; products?: unknown } | null;
  if (typeof data !== 'object' || data === null) throw new AntivirusProbeError('the Defender script gave no object');
  const others = asList(data.products)
    .map((p) => p as { displayName?: unknown; productState?: unknown })
    .filter((p) => typeof p.displayName === 'string' && !/^(Windows|Microsoft) Defender/i.test(p.displayName as string))
    .map((p) => ({ name: p.displayName as string, ...securityCenterState(Number(p.productState)) }));
  const threats = asList(data.threats).flatMap((t) => {
    const threat = t as { Name?: unknown; At?: unknown };
    const at = date(threat.At);
    return at === undefined ? [] : [{ name: typeof threat.Name === 'string' ? threat.Name : 'unknown threat', at }];
  });
  const s = data.status;
  if (!s) return { product: 'Microsoft Defender', scanner: 'defender', serviceOn: false, threats, others };
  const mode = typeof s.AMRunningMode === 'string' ? s.AMRunningMode : '';
  const state: AntivirusState = {
    product: 'Microsoft Defender',
    scanner: 'defender',
    serviceOn: s.AMServiceEnabled === true && s.AntivirusEnabled === true,
    realTimeOn: s.RealTimeProtectionEnabled === true,
    threats,
    others,
    passive: /passive|EDR Block/i.test(mode),
  };
  const signatures = date(s.AntivirusSignatureLastUpdated);
  if (signatures !== undefined) state.signaturesAt = signatures;
  const scans = [date(s.QuickScanEndTime), date(s.FullScanEndTime)].filter((d): d is number => d !== undefined);
  if (scans.length) state.lastScanAt = Math.max(...scans);
  return state;
}

/**
 * SecurityCenter2 productState, as documented by no one but read the same by every tool: the second byte's
 * 0x10 is "enabled", the third byte's 0x10 "signatures out of date" (0x00 = up to date).
 */
export function securityCenterState(productState: number): { enabled: boolean; upToDate: boolean } {
  if (!Number.isFinite(productState)) return { enabled: false, upToDate: false };
  return { enabled: ((productState >> 8) & 0xff & 0x10) !== 0, upToDate: (productState & 0xff) === 0 };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `clamscan --version`: "ClamAV 1.4.6/27472/Tue Nov 24 09:27:32 2026" — engine, daily database version and the
 * database's signing time, printed with ctime() in the machine's zone (offsetMinutes, east positive).
 * Without a database only "ClamAV 1.4.6" is printed.
 */
export function parseClamVersion(stdout: string, offsetMinutes: number): { engine: string; dailyVersion?: number; signaturesAt?: EpochMs } {
  const m = /^ClamAV (\S+?)(?:\/(\d+)\/\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}))?\s*$/m.exec(stdout);
  if (!m) throw new AntivirusProbeError(`clamscan --version printed no version: "${stdout.trim().slice(0, 120)}"`);
  if (m[2] === undefined) return { engine: m[1]! };
  const month = MONTHS.indexOf(m[3]!);
  return { engine: m[1]!, dailyVersion: Number(m[2]), signaturesAt: Date.UTC(Number(m[8]), month, Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) - offsetMinutes * 60_000 };
}

/**
 * The rules version from XProtect.meta.plist (XML, as macOS writes it: `<key>Version</key><real>2081</real>` at
 * the top level; newer files list the keys sorted, so it comes last). Only the exact top-level key counts: the
 * nested ones are MinimumPlugInBundleVersion.
 */
export function parseXProtectMeta(xml: string): { version: string } {
  if (!/<plist[\s>]/.test(xml)) throw new AntivirusProbeError(`XProtect.meta.plist is not an XML property list: "${xml.trim().slice(0, 80)}"`);
  const m = /<key>Version<\/key>\s*<(?:real|integer|string)>\s*(\d+(?:\.\d+)?)\s*<\/(?:real|integer|string)>/.exec(xml);
  if (!m) throw new AntivirusProbeError('XProtect.meta.plist names no Version');
  return { version: m[1]!.replace(/\.0+$/, '') };
}
