/**
 * An A4 report document on pdfkit: the branded head and the footer with "page X of Y" on every page, headings,
 * notes, label/value lists and tables that break across pages with their header row repeated.
 *
 * Why pdfkit and not pdfmake: pdfkit is small, draws directly (pdfmake is a layout engine on top of it), needs no
 * virtual file system to hand it fonts, streams its output, and is well kept. Its standard Helvetica carries
 * umlauts, ß and €, so no font file has to ship with the collector.
 */
import type { LoadedBranding } from './branding.ts';
import { pdfText } from './text.ts';

export const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const FOOTER_SPACE = 40;
const LOGO_HEIGHT = 40;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
export const COLORS = { text: '#1b1f24', muted: '#57606a', rule: '#d0d7de', met: '#1a7f37', notMet: '#cf222e', noData: '#8c959f', target: '#0969da' };

export interface Column {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  share: number;
  align?: 'left' | 'right';
}

export interface Box { page: number; x: number; y: number; width: number; height: number }

/**
 * pdfkit, loaded on the first report rather than when the collector starts: with fontkit, brotli's decoder and
 * crypto-js it is ~2.4 MB of the bundle's 6.6, and evaluating it costs ~5 MiB of heap a collector that makes no report
 * that day never uses (issue 18: the collector's RSS at the steady operating point).
 */
let pdfkit: Promise<typeof import('pdfkit')> | null = null;

export class ReportDocument {
  readonly doc: PDFKit.PDFDocument;
  private readonly headHeight: number;

  /** A new document; the first one loads pdfkit. */
  static async create(branding: LoadedBranding, pageLabel: (page: number, of: number) => string, info: { title: string; createdAt: number; lang: string }): Promise<ReportDocument> {
    pdfkit ??= import('pdfkit').then((m) => m.default);
    return new ReportDocument(await pdfkit, branding, pageLabel, info);
  }

  private constructor(
    PDFDocument: typeof import('pdfkit'), private readonly branding: LoadedBranding, private readonly pageLabel: (page: number, of: number) => string,
    info: { title: string; createdAt: number; lang: string },
  ) {
    const contactHeight = 14 + branding.contactLines.length * 10;
    this.headHeight = Math.max(branding.logo ? LOGO_HEIGHT : 0, contactHeight) + 16;
    this.doc = new PDFDocument({
      size: 'A4', bufferPages: true, lang: info.lang,
      margins: { top: MARGIN + this.headHeight, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
      // The creation date from the injected clock: the same report renders to the same bytes.
      info: { Title: pdfText(info.title), Author: pdfText(branding.name), Creator: 'Nines', Producer: 'Nines', CreationDate: new Date(info.createdAt), ModDate: new Date(info.createdAt) },
    });
    this.doc.font(FONT).fillColor(COLORS.text);
  }

  get contentWidth(): number {
    return A4.width - 2 * MARGIN;
  }

  get left(): number {
    return MARGIN;
  }

  /** The 1-based number of the page being written. */
  get pageNumber(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  /** Room for `height` points on this page, or a new page. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.doc.page.maxY()) this.doc.addPage();
  }

  title(text: string, meta: string): void {
    this.doc.font(BOLD).fontSize(18).fillColor(COLORS.text).text(pdfText(text), MARGIN, this.doc.y, { width: this.contentWidth });
    this.doc.font(FONT).fontSize(9).fillColor(COLORS.muted).text(pdfText(meta), { width: this.contentWidth });
    this.doc.moveDown(0.8);
  }

  heading(text: string): void {
    this.ensureSpace(50);
    this.doc.moveDown(0.6);
    this.doc.font(BOLD).fontSize(12).fillColor(COLORS.text).text(pdfText(text), MARGIN, this.doc.y, { width: this.contentWidth });
    const y = this.doc.y + 2;
    this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.contentWidth, y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    this.doc.y = y + 6;
  }

  note(text: string): void {
    this.doc.font(FONT).fontSize(8).fillColor(COLORS.muted);
    this.ensureSpace(this.doc.heightOfString(pdfText(text), { width: this.contentWidth }) + 4);
    this.doc.text(pdfText(text), MARGIN, this.doc.y, { width: this.contentWidth });
    this.doc.moveDown(0.3);
  }

  /** Label on the left, value (bold, optionally coloured) beside it, notes under the value. */
  keyValues(rows: Array<{ label: string; value: string; color?: string; notes?: string[] }>): void {
    const labelWidth = this.contentWidth * 0.45;
    const valueWidth = this.contentWidth - labelWidth;
    for (const row of rows) {
      this.doc.fontSize(10);
      const notes = (row.notes ?? []).filter(Boolean).map(pdfText);
      const height = Math.max(this.doc.heightOfString(pdfText(row.label), { width: labelWidth - 8 }), this.doc.heightOfString(pdfText(row.value), { width: valueWidth }))
        + notes.reduce((sum, n) => sum + this.doc.fontSize(8).heightOfString(n, { width: valueWidth }), 0) + 5;
      this.ensureSpace(height);
      const y = this.doc.y;
      this.doc.font(FONT).fontSize(10).fillColor(COLORS.muted).text(pdfText(row.label), MARGIN, y, { width: labelWidth - 8 });
      this.doc.font(BOLD).fontSize(10).fillColor(row.color ?? COLORS.text).text(pdfText(row.value), MARGIN + labelWidth, y, { width: valueWidth });
      for (const n of notes) this.doc.font(FONT).fontSize(8).fillColor(COLORS.muted).text(n, MARGIN + labelWidth, this.doc.y, { width: valueWidth });
      this.doc.y = y + height;
    }
    this.doc.fillColor(COLORS.text);
  }

  /** A table whose rows never split; on a page break the header row is repeated. */
  table(columns: Column[], rows: string[][]): void {
    const widths = columns.map((c) => c.share * this.contentWidth);
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const rowHeight = (cells: string[], font: string) => {
      this.doc.font(font).fontSize(8.5);
      return Math.max(...cells.map((c, i) => this.doc.heightOfString(pdfText(c), { width: widths[i]! - 6 }))) + 6;
    };
    const drawRow = (cells: string[], font: string, shade: boolean) => {
      const h = rowHeight(cells, font);
      const y = this.doc.y;
      if (shade) this.doc.rect(MARGIN, y, this.contentWidth, h).fill('#f6f8fa');
      this.doc.font(font).fontSize(8.5).fillColor(COLORS.text);
      cells.forEach((c, i) => this.doc.text(pdfText(c), xs[i]! + 3, y + 3, { width: widths[i]! - 6, align: columns[i]!.align ?? 'left' }));
      this.doc.moveTo(MARGIN, y + h).lineTo(MARGIN + this.contentWidth, y + h).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      this.doc.y = y + h;
    };
    const headers = columns.map((c) => c.header);
    this.ensureSpace(rowHeight(headers, BOLD) + (rows[0] ? rowHeight(rows[0], FONT) : 0));
    drawRow(headers, BOLD, true);
    for (const row of rows) {
      if (this.doc.y + rowHeight(row, FONT) > this.doc.page.maxY()) {
        this.doc.addPage();
        drawRow(headers, BOLD, true);
      }
      drawRow(row, FONT, false);
    }
    this.doc.moveDown(0.5);
  }

  /** Draws head and footer on every page (now that the page count is known) and returns the file. */
  async finish(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      this.drawFrame(i - start + 1, count);
    }
    this.doc.end();
    return done;
  }

  private drawFrame(page: number, of: number): void {
    const doc = this.doc;
    // Writing into the margins would make pdfkit start a new page; the frame lives there on purpose.
    const margins = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const top = MARGIN - 10;
    doc.font(BOLD).fontSize(11).fillColor(COLORS.text).text(pdfText(this.branding.name), MARGIN, top, { width: this.contentWidth * 0.6, lineBreak: false });
    doc.font(FONT).fontSize(8).fillColor(COLORS.muted);
    this.branding.contactLines.forEach((line, i) => doc.text(pdfText(line), MARGIN, top + 14 + i * 10, { width: this.contentWidth * 0.6, lineBreak: false }));
    if (this.branding.logo) doc.image(this.branding.logo, MARGIN + this.contentWidth * 0.6, top, { fit: [this.contentWidth * 0.4, LOGO_HEIGHT], align: 'right' });
    const ruleY = top + this.headHeight - 6;
    doc.moveTo(MARGIN, ruleY).lineTo(MARGIN + this.contentWidth, ruleY).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    const footY = A4.height - MARGIN - 12;
    doc.moveTo(MARGIN, footY - 6).lineTo(MARGIN + this.contentWidth, footY - 6).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    doc.font(FONT).fontSize(8).fillColor(COLORS.muted);
    if (this.branding.footer) doc.text(pdfText(this.branding.footer), MARGIN, footY, { width: this.contentWidth * 0.75, lineBreak: false });
    doc.text(pdfText(this.pageLabel(page, of)), MARGIN + this.contentWidth * 0.75, footY, { width: this.contentWidth * 0.25, align: 'right', lineBreak: false });
    doc.page.margins = margins;
  }
}
