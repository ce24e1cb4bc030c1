#!/usr/bin/env node
// Runs the collector's TypeScript sources through tsx (no build step needed to run the collector).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
