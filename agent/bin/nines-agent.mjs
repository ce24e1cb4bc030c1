#!/usr/bin/env node
// Development entry: runs the TypeScript sources through tsx. The shipped agent is dist/nines-agent.mjs.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
