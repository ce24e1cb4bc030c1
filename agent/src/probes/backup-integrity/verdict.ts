/** What one integrity run found, as parse.ts reads it from the tool; kept in the state file between runs. */
export type IntegrityVerdict =
  | { state: 'verified'; packs?: number; chunks?: number }
  | { state: 'damaged'; errors: string[] }
  | { state: 'failed'; error: string };
