import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AgentConfigSchema, checkConfigErrors, schemaValidator, type AgentConfig } from '@nines/shared';

const validateTop = schemaValidator(AgentConfigSchema);

export class ConfigError extends Error {
  readonly code = 'NINES_ERR_CONFIG';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid agent config:\n  ${problems.join('\n  ')}`);
  }
}

/** Reads and validates an agent YAML config; every problem names the field it is about. */
export function loadAgentConfig(file: string): AgentConfig {
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(file, [(error as Error).message]);
  }
  return validateAgentConfig(value, file);
}

export function validateAgentConfig(value: unknown, file = 'config'): AgentConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(file, ['/: expected a mapping with `checks:`']);
  const checks = (value as { checks?: unknown }).checks;
  const problems: string[] = [];
  if (checks !== undefined && !Array.isArray(checks)) problems.push('/checks: expected a list of checks');
  if (Array.isArray(checks)) {
    checks.forEach((check, i) => problems.push(...checkConfigErrors(check, `/checks/${i}`)));
    const seen = new Set<string>();
    checks.forEach((check: { id?: unknown }, i) => {
      if (typeof check?.id !== 'string') return;
      if (seen.has(check.id)) problems.push(`/checks/${i}/id: duplicate id "${check.id}"`);
      seen.add(check.id);
    });
  }
  if (problems.length === 0 && !validateTop.check(value)) problems.push(...validateTop.errors(value));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return value as AgentConfig;
}
