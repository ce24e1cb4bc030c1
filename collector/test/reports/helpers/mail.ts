/** The PDF attachments of a raw MIME mail as nodemailer writes them (base64 parts of any nesting depth). */
export function pdfAttachments(raw: string): Array<{ filename: string; content: Buffer }> {
  const found: Array<{ filename: string; content: Buffer }> = [];
  // a part: its headers up to the blank line, then the body up to the next boundary line
  const part = /(?:^|\r?\n)((?:[^\r\n]+\r?\n)*?Content-Type: application\/pdf[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n[^\r\n]+)*)\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n--/g;
  for (const match of raw.matchAll(part)) {
    const headers = match[1]!;
    if (!/Content-Transfer-Encoding: base64/i.test(headers)) throw new Error('a PDF part not in base64');
    const filename = /filename="?([^";\r\n]+)"?/.exec(headers)?.[1] ?? '';
    found.push({ filename, content: Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64') });
  }
  return found;
}
