/**
 * Plain text made safe for CommonMark: every punctuation character that could start markup is backslash-escaped (a
 * check message "C:\backup\*.bak" must not turn italic), and each newline becomes a hard line break so the lines of
 * the notice stay lines instead of running into one paragraph.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, '\\$&').replace(/\r?\n/g, '  \n');
}

/** A markdown link; the URL in angle brackets so parentheses in it cannot end the link early. */
export function markdownLink(label: string, url: string): string {
  return `[${markdownText(label)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}
