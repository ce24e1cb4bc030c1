import { parseArgs } from 'node:util';
import { serviceManagerFor } from '../service/index.ts';
import { uninstallService } from '../service/installer.ts';
import { serviceContext } from './install.ts';

export const uninstallHelp = `nines-agent uninstall [--purge] [--root DIR]
  Stops and removes the system service and the installed agent. The identity and unsent results
  stay in the state directory, so installing again continues as the same agent; --purge removes
  them too, with the config, the logs and the service user (then revoke the agent in the dashboard).
  --root DIR      remove the files under DIR and print the service commands instead of running them
  --platform OS   with --root: the layout of linux, darwin or win32 instead of this OS`;

export async function uninstallCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { purge: { type: 'boolean' }, root: { type: 'string' }, platform: { type: 'string' } } });
  const ctx = await serviceContext(values.root, values.platform);
  const manager = serviceManagerFor(ctx.platform);
  const layout = await uninstallService(ctx, manager, { purge: values.purge ?? false });
  process.stdout.write(`nines-agent uninstalled (${manager.kind}${values.purge ? `; ${layout.stateDir} purged` : ''})\n`);
  return 0;
}
