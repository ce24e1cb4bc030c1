/**
 * Text for pdfkit's standard fonts. Helvetica is WinAnsi-encoded: German umlauts, ß, € and the dashes are in it,
 * a few characters our messages or Intl use are not (U+2212 minus, narrow and thin spaces) and would print as
 * garbage — they are mapped to their WinAnsi look-alikes here.
 */
const REPLACEMENTS: Record<string, string> = { '\u2212': '-', '\u202f': ' ', '\u2009': ' ', '\u2011': '-' };

export const pdfText = (s: string): string => s.replace(/[\u2212\u202f\u2009\u2011]/g, (c) => REPLACEMENTS[c]!);
