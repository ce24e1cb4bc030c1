import t from 'tap';
import { execFileSync } from 'node:child_process';
import { installCommands, installSteps, InstallCommandError, psQuote, shQuote } from '../src/install-commands.ts';

const URL_ = 'https://nines.example.com';
const TOKEN = 'nines-enroll_AbC-12_xyz';

t.test('Linux: fetch the file for this CPU, check it against SHA256SUMS, enroll, install', async (t) => {
  const steps = installSteps('linux', URL_, TOKEN);
  t.equal(steps.length, 7);
  t.match(steps[1], /x86_64\|amd64\) echo x64;; aarch64\|arm64\) echo arm64;;/);
  t.equal(steps[2], `curl -fsSLO ${URL_}/download/"$f"`);
  t.equal(steps[3], `curl -fsSL ${URL_}/download/SHA256SUMS | grep " $f\\$" | sha256sum -c -`);
  t.equal(steps[5], `sudo ./"$f" enroll --url ${URL_} --token ${TOKEN}`);
  t.equal(steps.at(-1), `sudo ./"$f" install --url ${URL_} --token ${TOKEN}`);
  t.equal(installCommands(URL_, TOKEN).linux, steps.join(' && '), 'one line, stops at the first failing step');
  // sh itself reads the line: a syntax error here would be a broken copy-paste for every Linux user.
  execFileSync('sh', ['-n', '-c', installCommands(URL_, TOKEN).linux]);
  execFileSync('sh', ['-n', '-c', installCommands(URL_, TOKEN).macos]);
});

t.test('macOS (best effort): the bundle on Node.js, enrolled into the state dir install uses', async (t) => {
  const steps = installSteps('macos', URL_, TOKEN);
  t.equal(steps[1], `curl -fsSLO ${URL_}/download/nines-agent.mjs`);
  t.equal(steps[2], `sudo node nines-agent.mjs enroll --url ${URL_} --token ${TOKEN} --state-dir '/Library/Application Support/Nines/agent'`);
  t.equal(steps.at(-1), `sudo node nines-agent.mjs install --url ${URL_} --token ${TOKEN}`);
});

t.test('Windows: PowerShell downloads the exe and WinSW, compares Get-FileHash with the sums, enrolls, installs', async (t) => {
  const line = installCommands(URL_, TOKEN).windows;
  const steps = installSteps('windows', URL_, TOKEN);
  t.equal(line, steps.join('; '));
  t.equal(steps[0], "$ErrorActionPreference = 'Stop'", 'a failed download or throw stops the line');
  t.match(line, `$u = '${URL_}'`);
  t.match(line, '$sums = (Invoke-WebRequest -UseBasicParsing "$u/download/SHA256SUMS").Content');
  t.match(line, "foreach ($f in 'nines-agent-win-x64.exe', 'winsw.exe') { Invoke-WebRequest -UseBasicParsing \"$u/download/$f\" -OutFile $f;");
  t.match(line, '(Get-FileHash $f -Algorithm SHA256).Hash -ne $want) { throw');
  t.match(line, `.\\nines-agent-win-x64.exe enroll --url $u --token ${TOKEN} --state-dir C:\\ProgramData\\Nines\\agent; if ($LASTEXITCODE) { throw 'enroll failed' }`);
  t.equal(steps.at(-1), `.\\nines-agent-win-x64.exe install --url $u --token ${TOKEN} --winsw .\\winsw.exe`);
  t.notMatch(line, /`[^n]/, 'the only backtick is the `n newline escape');
});

t.test('a trailing slash and a path prefix are kept right', async (t) => {
  t.match(installCommands('http://127.0.0.1:8080/', TOKEN).linux, 'curl -fsSLO http://127.0.0.1:8080/download/"$f"');
  t.match(installCommands('https://proxy.example.com/nines/', TOKEN).linux, 'https://proxy.example.com/nines/download/SHA256SUMS');
  t.match(installCommands('http://[::1]:8080', TOKEN).linux, "curl -fsSLO 'http://[::1]:8080'/download/", 'quoted: a bracket is a glob in sh');
  t.match(installCommands('http://[::1]:8080', TOKEN).windows, "$u = 'http://[::1]:8080'");
});

t.test('bad input is refused, never pasted into a shell', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['not a url', TOKEN, /is not a URL/],
    ['ftp://nines.example.com', TOKEN, /must be http:\/\/ or https:\/\//],
    ['https://nines.example.com/?a=1', TOKEN, /query, fragment or credentials/],
    ['https://user:pw@nines.example.com', TOKEN, /query, fragment or credentials/],
    ["https://nines.example.com/a'b", TOKEN, /characters a shell would read/],
    ['https://nines.example.com/$(reboot)', TOKEN, /characters a shell would read/],
    [URL_, 'tok en;reboot', /the enrollment token must be/],
    [URL_, 'short', /the enrollment token must be/],
  ];
  for (const [url, token, message] of cases) {
    t.throws(() => installCommands(url, token), message, `${url} / ${token}`);
    t.throws(() => installCommands(url, token), { code: 'NINES_ERR_INSTALL_COMMAND', constructor: InstallCommandError });
  }
});

t.test('quoting: sh and PowerShell read the value back unchanged', async (t) => {
  for (const value of ['plain', 'with space', "it's", 'a$b`c"d']) {
    t.equal(execFileSync('sh', ['-c', `printf %s ${shQuote(value)}`]).toString(), value);
  }
  t.equal(shQuote('/usr/bin'), '/usr/bin');
  t.equal(psQuote("it's"), "'it''s'");
});

t.test('docs/install.md shows exactly the lines the dashboard gives', async (t) => {
  const { readFileSync } = await import('node:fs');
  const docs = readFileSync(new URL('../../docs/install.md', import.meta.url), 'utf8');
  const lines = installCommands('https://nines.example.com', 'TOKEN_PLACEHOLDER');
  for (const os of ['windows', 'linux', 'macos'] as const) t.ok(docs.includes(`\n${lines[os].replaceAll('TOKEN_PLACEHOLDER', '<token>')}\n`), os);
});
