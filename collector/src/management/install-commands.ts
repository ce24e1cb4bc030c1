/**
 * The one-line install commands the dashboard shows next to a fresh enrollment token, per OS.
 * They assume the agent bundle (`npm run build` → agent/dist/nines-agent.mjs) was copied to the
 * machine and that its `install` command enrolls with --url/--token, as the interface promises.
 */
export function installCommands(collectorUrl: string, token: string): { linux: string; macos: string; windows: string } {
  const args = `install --url ${collectorUrl} --token ${token}`;
  return {
    linux: `sudo node nines-agent.mjs ${args}`,
    macos: `sudo node nines-agent.mjs ${args}`,
    // An elevated PowerShell: the service is installed for the whole machine.
    windows: `node .\\nines-agent.mjs ${args}`,
  };
}
