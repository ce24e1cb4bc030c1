/**
 * `text` shortened to at most `max` characters, ending in "…" when it was longer. Counts code points, not UTF-16
 * units, so an emoji or umlaut is never split in half; services document their limits in characters.
 */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
