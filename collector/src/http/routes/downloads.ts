/**
 * Everything under /download/<name>, in one route: the agent executables and the Windows service wrapper (the
 * names SHA256SUMS in the downloads directory lists), SHA256SUMS itself, and the bundled agent nines-agent.mjs
 * (`npm run build`, run with node, e.g. by the macOS one-liner and older installs). Public: the files carry no
 * secret (the enrollment token is what admits an agent), and a client machine fetches them before it has any
 * credential. Only those names are served, so nothing else in the directory, and no path outside it, can be
 * reached. SHA256SUMS.sig and signing-key.pem are static routes in upgrade/routes.ts, which win over this one.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NinesError } from '../../errors.ts';

export const SUMS_FILE = 'SHA256SUMS';
/** The bundled agent's download name, served from its build output rather than the downloads directory. */
export const BUNDLE_NAME = 'nines-agent.mjs';
/** A plain file name: no separator, no leading dot, so `..`, `.hidden` and `a/b` never reach the file system. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The names SHA256SUMS lists (`<64 hex>  <name>` lines, as sha256sum writes them); [] when the file is absent. */
export function publishedNames(dir: string | null): string[] {
  if (dir === null) return [];
  let text: string;
  try {
    text = readFileSync(join(dir, SUMS_FILE), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const match = /^[0-9a-f]{64} [ *](\S+)$/.exec(line.trim());
    return match && SAFE_NAME.test(match[1]!) ? [match[1]!] : [];
  });
}

export interface DownloadOptions {
  /** The downloads directory (`downloadsDir`); null when this collector publishes no executables. */
  dir: string | null;
  /** agent/dist/nines-agent.mjs. */
  bundle: string;
}

interface Served {
  path: string;
  contentType: string;
  /** What to say when the file is not there. */
  missing: string;
}

/** Where a requested name comes from, or null when it is not something this collector publishes. */
function resolveName(name: string, options: DownloadOptions): Served | null {
  const built = 'build them with `npm run build`';
  if (name === BUNDLE_NAME && !publishedNames(options.dir).includes(name)) {
    return { path: options.bundle, contentType: 'text/javascript; charset=utf-8', missing: 'the agent bundle is not built on this collector (run `npm run build`)' };
  }
  if (options.dir === null) return null;
  if (name === SUMS_FILE) return { path: join(options.dir, SUMS_FILE), contentType: 'text/plain; charset=utf-8', missing: `no downloads are published on this collector (${built})` };
  if (!SAFE_NAME.test(name) || !publishedNames(options.dir).includes(name)) return null;
  return { path: join(options.dir, name), contentType: /\.[cm]?js$/.test(name) ? 'text/javascript; charset=utf-8' : 'application/octet-stream', missing: `${name} is listed in ${SUMS_FILE} but missing` };
}

export async function downloadRoutes(app: FastifyInstance, options: DownloadOptions): Promise<void> {
  app.get(
    '/download/:name',
    { config: { access: 'public' }, schema: { params: Type.Object({ name: Type.String() }) } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const served = resolveName(name, options);
      if (!served) {
        const published = [...publishedNames(options.dir), ...(options.dir === null ? [] : [SUMS_FILE]), BUNDLE_NAME];
        throw new NinesError('NOT_FOUND', `no download named "${name}" (published: ${[...new Set(published)].join(', ')})`);
      }
      let size: number;
      try {
        const stat = statSync(served.path);
        if (!stat.isFile()) throw new Error('not a file');
        size = stat.size;
      } catch {
        throw new NinesError('NOT_FOUND', served.missing);
      }
      return reply
        .header('content-type', served.contentType)
        .header('content-length', size)
        .header('content-disposition', `attachment; filename="${name}"`)
        // A rebuild replaces the files under the same names: clients must not keep an old one.
        .header('cache-control', 'no-cache')
        .send(createReadStream(served.path));
    },
  );
}
