/**
 * The install commands the dashboard shows next to a fresh enrollment token, per OS, as docs/install.md
 * gives them: fetch the agent bundle from this collector (/download/nines-agent.mjs), then run the agent's
 * own `install --url --token` (agent/src/commands/install.ts) as root / in an elevated PowerShell.
 * Windows also needs the WinSW service wrapper beside the bundle, where `install` looks for it.
 */
export const WINSW_URL = 'https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe'; // the version docs/install.md names

export function installCommands(collectorUrl: string, token: string): { linux: string; macos: string; windows: string } {
  const bundle = `${collectorUrl}/download/nines-agent.mjs`;
  const args = `install --url ${collectorUrl} --token ${token}`;
  const unix = `curl -fsSLO ${bundle} && sudo node nines-agent.mjs ${args}`;
  return {
    linux: unix,
    macos: unix,
    windows: `cd $env:TEMP; Invoke-WebRequest ${bundle} -OutFile nines-agent.mjs; Invoke-WebRequest ${WINSW_URL} -OutFile WinSW-x64.exe; node .\\nines-agent.mjs ${args}`,
  };
}
