#!/usr/bin/env node
// Development entry: runs the TypeScript sources through tsx. The shipped agent is dist/nines-agent.mjs.
import { register } from 'tsx/esm/api';

// Started by npm (npx, npm exec, npm run), this process is a child of `sh -c`, not of npm. A SIGTERM sent to npx
// reaches that shell, which dies of it without passing it on: the agent would live on as an orphan. So here a
// vanished parent counts as SIGTERM (the run command's handler then stops the agent cleanly). Checked twice a
// second; unref'd so it never keeps a finished command alive. Service managers start dist/ directly, not this.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
