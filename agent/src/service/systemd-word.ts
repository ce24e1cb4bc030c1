/**
 * One ExecStart word: quoted when it holds spaces or quotes; "%" and "$" doubled because systemd
 * expands specifiers and variables inside ExecStart (systemd.service(5), "Command lines").
 */
export function systemdWord(word: string): string {
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return /[\s"'\\;]/.test(escaped) || escaped === '' ? `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : escaped;
}
