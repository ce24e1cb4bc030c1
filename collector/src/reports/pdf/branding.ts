/**
 * The consultant's branding for PDF reports, loaded once and checked up front: a missing or unreadable logo is an
 * error when the collector starts or the CLI runs, never a crash in the middle of sending reports.
 */
import { readFileSync } from 'node:fs';
import { LOGO_MAX_BYTES, type ReportBranding, type StoredBranding } from '@nines/shared';

export interface LoadedBranding {
  name: string;
  /** PNG or JPEG bytes, checked by their magic number. */
  logo: Buffer | null;
  contactLines: string[];
  footer: string | null;
}

export class BrandingError extends Error {}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/** `fallbackName` is alerting.brand, the name clients already see in alerts. */
export function loadBranding(branding: ReportBranding | undefined, fallbackName: string): LoadedBranding {
  let logo: Buffer | null = null;
  if (branding?.logoFile) {
    try {
      logo = readFileSync(branding.logoFile);
    } catch (error) {
      throw new BrandingError(`reports.branding.logoFile ${branding.logoFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!logoType(logo)) throw new BrandingError(`reports.branding.logoFile ${branding.logoFile} is neither a PNG nor a JPEG file`);
  }
  return {
    name: branding?.name ?? fallbackName,
    logo,
    contactLines: (branding?.contact ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
    footer: branding?.footer ?? null,
  };
}

/** 'image/png' or 'image/jpeg' by the magic number; null for anything else. */
export function logoType(bytes: Buffer): 'image/png' | 'image/jpeg' | null {
  if (bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'image/png';
  if (bytes.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'image/jpeg';
  return null;
}

/**
 * Branding saved through the API: the logo is checked like the file's (PNG or JPEG by its bytes, and the type the
 * upload claims), and against LOGO_MAX_BYTES. Throws BrandingError with the reason.
 */
export function loadStoredBranding(branding: StoredBranding, fallbackName: string): LoadedBranding {
  let logo: Buffer | null = null;
  if (branding.logo === 'keep') throw new BrandingError('logo "keep" stands for a saved logo; there is none');
  if (branding.logo) {
    logo = Buffer.from(branding.logo.data, 'base64');
    if (logo.length > LOGO_MAX_BYTES) throw new BrandingError(`the logo has ${logo.length} bytes; at most ${LOGO_MAX_BYTES} (${LOGO_MAX_BYTES / 1024} KiB) are allowed`);
    const type = logoType(logo);
    if (!type) throw new BrandingError('the logo is neither a PNG nor a JPEG image');
    if (type !== branding.logo.contentType) throw new BrandingError(`the logo says ${branding.logo.contentType} but is ${type}`);
  }
  return {
    name: branding.name ?? fallbackName,
    logo,
    contactLines: (branding.contact ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
    footer: branding.footer ?? null,
  };
}
