/** The real poppler tools on a PDF in a temporary file: its text, its info and its pages as grey pixels. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withFile<T>(pdf: Buffer, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'nines-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return await use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pdftotext -layout`, and the same with every run of white space made one space (table cells stay in order). */
export async function pdfText(pdf: Buffer): Promise<{ layout: string; flat: string }> {
  const layout = await withFile(pdf, async (file) => (await run('/usr/bin/pdftotext', ['-layout', file, '-'])).stdout);
  return { layout, flat: layout.replace(/\s+/g, ' ') };
}

export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const { stdout } = await withFile(pdf, (file) => run('/usr/bin/pdfinfo', ['-isodates', file]));
  return Object.fromEntries(stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

export interface GreyPage { width: number; height: number; pixels: Buffer }

/** A binary PGM (P5, maxval 255): the header's three numbers, then one byte a pixel. */
export function parsePgm(data: Buffer): GreyPage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error('not an 8-bit binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

/** Every page through `pdftoppm -gray -r dpi`; throws when poppler reports an error. */
export async function pdfPagesGrey(pdf: Buffer, dpi: number): Promise<GreyPage[]> {
  return withFile(pdf, async (file, dir) => {
    const { stderr } = await run('/usr/bin/pdftoppm', ['-gray', '-r', String(dpi), file, join(dir, 'page')]);
    if (stderr.trim()) throw new Error(`pdftoppm: ${stderr}`);
    return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => parsePgm(readFileSync(join(dir, f))));
  });
}

/** `pdftoppm -png` of one page into `out`. */
export async function pdfPagePng(pdf: Buffer, page: number, dpi: number, out: string): Promise<void> {
  await withFile(pdf, async (file, dir) => {
    await run('/usr/bin/pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, join(dir, 'page')]);
    writeFileSync(out, readFileSync(join(dir, 'page.png')));
  });
}

/** Share of pixels darker than near-white in a rectangle given in PDF points. */
export function inkShare(page: GreyPage, box: { x: number; y: number; width: number; height: number }, dpi: number): number {
  const scale = dpi / 72;
  const x0 = Math.floor(box.x * scale);
  const y0 = Math.floor(box.y * scale);
  const x1 = Math.min(page.width, Math.ceil((box.x + box.width) * scale));
  const y1 = Math.min(page.height, Math.ceil((box.y + box.height) * scale));
  let ink = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (page.pixels[y * page.width + x]! < 230) ink++;
  return ink / ((x1 - x0) * (y1 - y0));
}
