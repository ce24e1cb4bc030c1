/** The file this agent runs from, as `install` copies it: the standalone executable or the bundle; null from the sources. */

/** Set by agent/build.mjs: true inside dist/nines-agent.mjs. */
declare const __NINES_AGENT_BUNDLED__: boolean | undefined;
/** Set by agent/build.mjs --standalone. */
declare const __NINES_AGENT_STANDALONE__: boolean | undefined;

export function ownAgentFile(): string | null {
  if (typeof __NINES_AGENT_STANDALONE__ === 'boolean') return process.execPath;
  if (typeof __NINES_AGENT_BUNDLED__ === 'boolean') return process.argv[1] ?? null;
  return null;
}

/** How to start this agent again with other arguments: [program, ...leading args]. */
export function ownCommand(): string[] {
  if (typeof __NINES_AGENT_STANDALONE__ === 'boolean') return [process.execPath];
  return [process.execPath, ...process.execArgv, process.argv[1]!];
}
