/**
 * The one-line install commands the dashboard shows beside a fresh enrollment token, one per OS. Each
 * downloads the agent from the collector's /download/ (docs/install.md), checks it against the published
 * SHA256SUMS before running it, enrolls with the token, then installs the service (`install`, elevated: it
 * also sets up the privileged upgrader and pins the collector's key root/SYSTEM-owned, docs/install.md
 * #automatic-upgrades). Pure: the collector
 * fills in its address and the token; tests run the Linux one for real.
 */

export type InstallOs = 'linux' | 'macos' | 'windows';

/** Names in the collector's downloads directory (agent/build.mjs --cross writes them, with SHA256SUMS). */
export const DOWNLOAD_NAMES = {
  linuxX64: 'nines-agent-linux-x64',
  linuxArm64: 'nines-agent-linux-arm64',
  windows: 'nines-agent-win-x64.exe',
  /** WinSW from the npm package node-windows, published beside the agent (agent/build.mjs). */
  winsw: 'winsw.exe',
  sums: 'SHA256SUMS',
} as const;

/** Where `install` keeps the identity on these OSes (agent/src/service/*): enroll must write it there. */
const STATE_DIRS = { macos: '/Library/Application Support/Nines/agent', windows: 'C:\\ProgramData\\Nines\\agent' } as const;

/** Thrown for an address or token that could not be pasted into a shell safely. */
export class InstallCommandError extends Error {
  readonly code = 'NINES_ERR_INSTALL_COMMAND';
}

const PLAIN = /^[A-Za-z0-9_./:@%+=,-]+$/;
/** A value for sh: as it is when plain, else in single quotes ('\'' for a quote inside). */
export function shQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
/** A value for PowerShell: single quotes, a quote inside doubled; nothing in them is expanded. */
export function psQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The collector address without a trailing slash; only http(s) with a host, nothing a shell could trip on. */
function collectorBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstallCommandError(`collector URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InstallCommandError(`collector URL "${url}" must be http:// or https://`);
  if (parsed.search || parsed.hash || parsed.username || parsed.password) throw new InstallCommandError(`collector URL "${url}" must not carry a query, fragment or credentials`);
  const base = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  // Brackets for an IPv6 address; sh gets the URL quoted then (a bracket is a glob there).
  if (!/^[A-Za-z0-9_./:@%+=,[\]-]+$/.test(base)) throw new InstallCommandError(`collector URL "${url}" has characters a shell would read (only letters, digits, [] and _./:@%+=,- are taken)`);
  return base;
}

function checkToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) throw new InstallCommandError('the enrollment token must be 8-200 letters, digits, "_" or "-"');
  return token;
}

/**
 * The steps of one OS's command, in order; the last one installs the service. The command is these
 * joined (` && ` in sh, `; ` in PowerShell, where a failing step throws).
 */
export function installSteps(os: InstallOs, collectorUrl: string, token: string): string[] {
  const url = collectorBase(collectorUrl);
  const tok = checkToken(token);
  const sh = shQuote(url);
  const auth = `--url ${sh} --token ${tok}`;
  if (os === 'linux') {
    const f = '"$f"';
    return [
      // A fresh directory: nothing left over from an earlier attempt is mistaken for the download.
      'cd "$(mktemp -d)"',
      `f=nines-agent-linux-$(case "$(uname -m)" in x86_64|amd64) echo x64;; aarch64|arm64) echo arm64;; *) echo unsupported-"$(uname -m)";; esac)`,
      `curl -fsSLO ${sh}/download/${f}`,
      // The sums file's line for this file only; sha256sum -c fails on a mismatch and on no line at all.
      `curl -fsSL ${sh}/download/${DOWNLOAD_NAMES.sums} | grep " $f\\$" | sha256sum -c -`,
      `chmod +x ${f}`,
      `sudo ./${f} enroll ${auth}`,
      `sudo ./${f} install ${auth}`,
    ];
  }
  if (os === 'macos') {
    // Best effort: no macOS executable is built here (unsigned binaries need Gatekeeper overrides), so the
    // bundle runs on an installed Node.js; it is not in SHA256SUMS, the TLS connection is all that vouches for it.
    return [
      'cd "$(mktemp -d)"',
      `curl -fsSLO ${sh}/download/nines-agent.mjs`,
      `sudo node nines-agent.mjs enroll ${auth} --state-dir ${shQuote(STATE_DIRS.macos)}`,
      `sudo node nines-agent.mjs install ${auth}`,
    ];
  }
  const exe = DOWNLOAD_NAMES.windows;
  return [
    "$ErrorActionPreference = 'Stop'",
    // Windows PowerShell 5.1 on Server 2016 offers TLS 1.0 only unless told; 3072 is TLS 1.2.
    '[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor 3072',
    "$ProgressPreference = 'SilentlyContinue'",
    `$u = ${psQuote(url)}`,
    "Set-Location (New-Item -ItemType Directory -Force (Join-Path $env:TEMP 'nines-agent'))",
    `$sums = (Invoke-WebRequest -UseBasicParsing "$u/download/${DOWNLOAD_NAMES.sums}").Content`,
    `foreach ($f in '${exe}', '${DOWNLOAD_NAMES.winsw}') { Invoke-WebRequest -UseBasicParsing "$u/download/$f" -OutFile $f; `
      + '$want = ($sums -split "`n" | Where-Object { $_ -match "^[0-9a-f]{64} [ *]$([regex]::Escape($f))$" } | ForEach-Object { $_.Substring(0, 64) }); '
      + 'if (-not $want -or (Get-FileHash $f -Algorithm SHA256).Hash -ne $want) { throw "$f does not match its SHA-256 in $u/download/SHA256SUMS" } }',
    `.\\${exe} enroll --url $u --token ${tok} --state-dir ${STATE_DIRS.windows}`,
    "if ($LASTEXITCODE) { throw 'enroll failed' }",
    `.\\${exe} install --url $u --token ${tok} --winsw .\\${DOWNLOAD_NAMES.winsw}`,
  ];
}

/** One copy-paste line per OS. */
export function installCommands(collectorUrl: string, token: string): Record<InstallOs, string> {
  return {
    linux: installSteps('linux', collectorUrl, token).join(' && '),
    macos: installSteps('macos', collectorUrl, token).join(' && '),
    windows: installSteps('windows', collectorUrl, token).join('; '),
  };
}
