import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPRISE_COMMAND, AppriseSettingsSchema, AppriseTargetSchema, type AppriseSettings, type AppriseTarget } from '@nines/shared';
import { ChannelError, type ChannelDefinition, type Notice, type NoticeSeverity } from './channel.ts';
import { linkLines } from './links.ts';

/**
 * Apprise: the apprise CLI (https://github.com/caronc/apprise/wiki/CLI_Usage) reaches the ~100 services it has
 * plugins for, each addressed by an Apprise URL (https://github.com/caronc/apprise/wiki, one page per service). It
 * runs as a child process without a shell, so nothing in a title or URL is interpreted; its HOME is a private empty
 * folder, so it neither reads a user's ~/.apprise config nor writes caches there. Exit 0 means every service
 * accepted. The CLI does not pass on a service's Retry-After, and no Apprise plugin takes an idempotency key.
 */

/** A hung service must not hold a delivery slot: the worker's backoff retries. */
const APPRISE_TIMEOUT_MS = 30_000;

/** Apprise's notification types (-n), which plugins turn into their colour or priority. */
const NOTIFICATION_TYPE: Record<NoticeSeverity, string> = { critical: 'failure', warning: 'warning', recovered: 'success', info: 'info' };

/** What Apprise logs when it cannot use a URL at all: no plugin for the scheme, or the plugin rejects its parts. */
const UNUSABLE_URL = /Unsupported URL|Unparseable/i;

/** A host that names a server (has a dot, or is localhost or an IPv6 literal); services like tgram:// or slack:// put tokens where the host goes. */
const SERVER_HOST = /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|localhost|\[[0-9A-Fa-f:.]+\])(:\d+)?$/;

/** The URL as a person may see it: the scheme and a server name, never credentials, tokens or path. */
function describeUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(url);
  if (!match) return 'apprise://***';
  const [, scheme, host] = match;
  return SERVER_HOST.test(host!) ? `${scheme}://${host}/…` : `${scheme}://***`;
}

/** The message body: the whole text, then the links with their words (most Apprise services show plain text and link URLs). */
function appriseBody(notice: Notice): string {
  const links = linkLines(notice);
  return [notice.text, ...(links.length > 0 ? [links.join('\n')] : [])].join('\n\n');
}

/**
 * Apprise's own account of a failure, for the error message: its WARNING and ERROR lines without the timestamp,
 * with the URL replaced by its description, since the error is logged and the URL may hold a token.
 */
function appriseReason(output: string, url: string, described: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ - /, '').trim())
    .filter((line) => /^(WARNING|ERROR|CRITICAL) - /.test(line));
  return lines.join('; ').split(url).join(described).slice(0, 300);
}

interface Outcome {
  code: number | string | null;
  timedOut: boolean;
  output: string;
}

export const apprise: ChannelDefinition<typeof AppriseSettingsSchema, typeof AppriseTargetSchema> = {
  kind: 'apprise',
  label: 'Apprise',
  settingsSchema: AppriseSettingsSchema,
  targetSchema: AppriseTargetSchema,
  address: (target: AppriseTarget) => target.url,
  describe: (target: AppriseTarget) => describeUrl(target.url),
  // Settings are optional: with none, `apprise` from PATH.
  create(settings: AppriseSettings | undefined) {
    const command = settings?.command ?? APPRISE_COMMAND;
    const home = mkdtempSync(join(tmpdir(), 'nines-apprise-'));
    const running = new Set<ChildProcess>();

    function run(args: string[]): Promise<Outcome> {
      return new Promise((resolve) => {
        const child = execFile(
          command,
          args,
          {
            timeout: APPRISE_TIMEOUT_MS,
            maxBuffer: 1024 * 1024,
            // Nothing of the collector's environment (APPRISE_URLS, APPRISE_CONFIG, proxies' credentials) but PATH; UTF-8 for umlauts in argv.
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
          },
          (error, stdout, stderr) => {
            running.delete(child);
            // Apprise logs to stdout; Python's own failures (a traceback) go to stderr.
            const output = `${stdout}\n${stderr}`;
            if (!error) return resolve({ code: 0, timedOut: false, output });
            const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
            resolve({ code: failure.code ?? null, timedOut: failure.killed === true, output });
          },
        );
        running.add(child);
      });
    }

    return {
      async send(notice, to) {
        const described = describeUrl(to.target.url);
        const what = `apprise to ${described} (${to.label})`;
        // --option=value, and -- before the URL: a title or body starting with "-" stays text, not an option.
        const outcome = await run([
          '-vv',
          `--title=${notice.title}`,
          `--body=${appriseBody(notice)}`,
          `--notification-type=${NOTIFICATION_TYPE[notice.severity]}`,
          '--',
          to.target.url,
        ]);
        if (outcome.code === 0) return;
        if (outcome.code === 'ENOENT') throw new ChannelError(`${what}: apprise is not installed (cannot run "${command}")`, 'permanent');
        if (outcome.timedOut) throw new ChannelError(`${what}: apprise did not finish within ${APPRISE_TIMEOUT_MS / 1000} s`, 'transient');
        const reason = appriseReason(outcome.output, to.target.url, described) || `exit ${String(outcome.code)}`;
        if (UNUSABLE_URL.test(outcome.output)) throw new ChannelError(`${what}: apprise cannot use this URL: ${reason}`, 'permanent');
        throw new ChannelError(`${what}: ${reason}`, 'transient');
      },
      close() {
        for (const child of running) child.kill();
        rmSync(home, { recursive: true, force: true });
      },
    };
  },
};
