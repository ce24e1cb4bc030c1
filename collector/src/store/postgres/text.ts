/**
 * A text as PostgreSQL can store it: a TEXT value cannot hold U+0000 (SQLite's can), and an error text from a remote
 * server that held one would make the write that records the failure fail in turn. Used for texts that come from
 * outside (delivery errors); U+0000 becomes U+FFFD, the replacement character.
 */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
