import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const ANTIVIRUS_DEFAULT_INTERVAL_MS = 900_000; // a switched-off scanner or a detection matters within the quarter hour
export const ANTIVIRUS_DEFAULT_SIGNATURE_WARN_MS = 3 * 86_400_000; // Defender and freshclam update several times a day; three days means updates are broken
export const ANTIVIRUS_DEFAULT_SIGNATURE_CRIT_MS = 7 * 86_400_000;
export const ANTIVIRUS_DEFAULT_SCAN_MAX_AGE_MS = 14 * 86_400_000; // Defender's scheduled quick scan runs weekly by default
// Apple ships XProtect's rules about weekly, with gaps of two weeks and more (holidays, an update released on one
// channel only): a Mac two weeks behind has missed updates, a month behind has stopped updating.
export const XPROTECT_DEFAULT_SIGNATURE_WARN_MS = 14 * 86_400_000;
export const XPROTECT_DEFAULT_SIGNATURE_CRIT_MS = 30 * 86_400_000;
export const ANTIVIRUS_DEFAULT_THREAT_WINDOW_MS = 86_400_000; // a detection stays CRIT for a day, long enough to be read

function duration(description: string) {
  return Type.Union([...DurationSchema.anyOf], { description });
}

export const AntivirusCheckSchema = checkSchema(
  'antivirus',
  {
    product: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('defender'), Type.Literal('clamav'), Type.Literal('xprotect')], {
        default: 'auto',
        description: 'scanner to ask; auto: Microsoft Defender (and the Windows Security Center) on Windows, XProtect on macOS, ClamAV elsewhere',
      }),
    ),
    databaseDirectory: Type.Optional(Type.String({ minLength: 1, description: 'ClamAV: the signature database directory, if not the default (clamscan --database)' })),
    signatureWarnAge: Type.Optional(duration('WARN when the signatures are older (default 3d; XProtect 14d)')),
    signatureCritAge: Type.Optional(duration('CRIT when the signatures are older (default 7d; XProtect 30d)')),
    scanMaxAge: Type.Optional(duration('Defender: WARN when neither a quick nor a full scan finished within this time (default 14d; 0 turns it off)')),
    threatWindow: Type.Optional(duration('Defender: threats detected within this time are CRIT (default 24h)')),
  },
  'whether the virus scanner runs with fresh signatures, and what it found: Microsoft Defender, ClamAV, macOS XProtect',
);
export type AntivirusCheckConfig = Static<typeof AntivirusCheckSchema>;
