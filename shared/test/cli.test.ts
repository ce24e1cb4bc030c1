import t from 'tap';
import { runCli, UsageError, type Command } from '../src/cli.ts';

function harness(commands: Record<string, Command>) {
  const out: string[] = [];
  const err: string[] = [];
  const run = (argv: string[]) =>
    runCli(argv, { tool: 'tool', version: '1.2.3', commands, helpText: () => 'HELP\n', out: (s) => out.push(s), err: (s) => err.push(s) });
  return { run, out, err };
}

t.test('exit codes: 0 ok, 1 failure, 2 wrong usage; errors name the tool and command', async (t) => {
  const h = harness({
    ok: [async () => 0, 'ok help'],
    fail: [async () => { throw new Error('disk on fire'); }, 'fail help'],
    usage: [async () => { throw new UsageError('needs --x'); }, 'usage help'],
  });
  t.equal(await h.run(['ok']), 0);
  t.equal(await h.run(['fail']), 1);
  t.match(h.err.at(-1), 'tool fail: disk on fire');
  t.equal(await h.run(['usage']), 2);
  t.match(h.err.at(-1), 'tool usage: needs --x');
  t.equal(await h.run(['nope']), 2);
  t.match(h.err.at(-1), 'unknown command "nope"');
});

t.test('help: bare invocation prints help with exit 2, --help with 0, per-command help without running it', async (t) => {
  let ran = false;
  const h = harness({ go: [async () => ((ran = true), 0), 'go help'] });
  t.equal(await h.run([]), 2);
  t.equal(await h.run(['--help']), 0);
  t.equal(await h.run(['go', '--help']), 0);
  t.notOk(ran);
  t.same(h.out, ['HELP\n', 'HELP\n', 'go help\n']);
  t.equal(await h.run(['--version']), 0);
  t.equal(h.out.at(-1), '1.2.3\n');
});
