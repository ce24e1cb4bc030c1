import type { BackupProbe } from '../probe.ts';
import { collectFiles } from './collect.ts';
import { matchingFiles } from './parse.ts';
import { evaluateFileAge } from './evaluate.ts';

export const fileAge = {
  tool: 'file-age',
  async check(config, ctx) {
    const files = await collectFiles(config.path, config.recursive ?? false);
    return evaluateFileAge(matchingFiles(files, config.pattern ?? '*'), config, ctx.clock());
  },
} satisfies BackupProbe<'file-age'>;
