import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMessage } from '@nines/shared';
import { validateAgentConfig } from './config-file.ts';

const FILE = 'assigned-config.json';

/** The last checks the collector assigned, kept so the agent goes on checking while the collector is away. */
export function readAssignedConfig(stateDir: string): ConfigMessage | null {
  try {
    const value = JSON.parse(readFileSync(join(stateDir, FILE), 'utf8')) as ConfigMessage;
    validateAgentConfig({ checks: value.checks }, FILE);
    return value;
  } catch {
    return null;
  }
}

export function writeAssignedConfig(stateDir: string, config: ConfigMessage): void {
  const path = join(stateDir, FILE);
  writeFileSync(path + '.tmp', JSON.stringify(config), { mode: 0o600 });
  renameSync(path + '.tmp', path);
}
