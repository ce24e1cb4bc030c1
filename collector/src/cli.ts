// First: V8 settings that must be in place before the rest of the collector is evaluated (engine.ts says why).
import './engine.ts';
import { runCli, type Command } from '@nines/shared/cli';
import { serveCommand, serveHelp } from './commands/serve.ts';
import { demoCommand, demoHelp } from './commands/demo.ts';
import { statusCommand, statusHelp } from './commands/status.ts';
import { enrollTokenCommand, enrollTokenHelp } from './commands/enroll-token.ts';
import { configCommand, configHelp } from './commands/config.ts';
import { backupCommand, backupHelp } from './commands/backup.ts';
import { agentCommand, agentHelp } from './commands/agent.ts';
import { reportCommand, reportHelp } from './commands/report.ts';
import { overviewCommand, overviewHelp } from './commands/overview.ts';
import { migrateCommand, migrateHelp } from './commands/migrate.ts';
import { VERSION } from './version.ts';

/** Subcommands, one line each: name → [run, help]. */
export const commands: Record<string, Command> = {
  serve: [serveCommand, serveHelp],
  demo: [demoCommand, demoHelp],
  status: [statusCommand, statusHelp],
  'enroll-token': [enrollTokenCommand, enrollTokenHelp],
  config: [configCommand, configHelp],
  backup: [backupCommand, backupHelp],
  agent: [agentCommand, agentHelp],
  report: [reportCommand, reportHelp],
  overview: [overviewCommand, overviewHelp],
  migrate: [migrateCommand, migrateHelp],
};

export function helpText(): string {
  return `nines-collector ${VERSION}: stores agent results, computes availability, alerts, serves the dashboard.

Usage: nines-collector <command> [options]

${Object.values(commands).map(([, help]) => help).join('\n\n')}
`;
}

export function main(argv: string[]): Promise<number> {
  return runCli(argv, { tool: 'nines-collector', version: VERSION, commands, helpText });
}
