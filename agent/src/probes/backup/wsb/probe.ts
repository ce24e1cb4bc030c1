import type { BackupProbe } from '../probe.ts';
import { collectWbSummary } from './collect.ts';
import { parseWbSummary } from './parse.ts';
import { evaluateWsb } from './evaluate.ts';

export const wsb = {
  tool: 'wsb',
  async check(config, ctx) {
    return evaluateWsb(parseWbSummary(await collectWbSummary(config.program ?? 'powershell.exe', ctx)), config, ctx.clock());
  },
} satisfies BackupProbe<'wsb'>;
