/**
 * Orders strings by UTF-16 code unit, as `sort()` does without a comparator: the same order on every machine,
 * whatever its locale. For the agent's own lists (user names, log sources, file paths), where nobody reads the
 * order as alphabetical: `localeCompare` would load ICU's collation data, +2.6 MiB resident in a running agent.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
