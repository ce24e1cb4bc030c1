#!/usr/bin/env node
// Development entry: runs the collector's TypeScript sources through tsx (a dev dependency), so a source edit
// shows without a build and tests run what is in src/. Production runs the bundle, collector/dist/nines-collector.mjs
// (collector/build.mjs; `npm start`, the Docker image and the systemd unit do). Never the bundle from here: a
// bin that preferred a bundle when one exists would run yesterday's build after today's edit.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write(
    'nines-collector: this is the development entry and needs tsx (npm ci without --omit=dev).\n' +
      'Run the built collector instead: npm run build, then node collector/dist/nines-collector.mjs <command>\n',
  );
  process.exit(1);
}
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
