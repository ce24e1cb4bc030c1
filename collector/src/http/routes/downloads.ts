/**
 * The agent executables (and the Windows service wrapper) at /download/<name>, with /download/SHA256SUMS.
 * Public: the files carry no secret (the enrollment token is what admits an agent), and a client machine
 * fetches them before it has any credential. Only names listed in SHA256SUMS are served, so the sums file
 * is the whole catalogue: nothing else in the directory, and no path outside it, can be reached.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NinesError } from '../../errors.ts';

export const SUMS_FILE = 'SHA256SUMS';
/** A plain file name: no separator, no leading dot, so `..`, `.hidden` and `a/b` never reach the file system. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The names SHA256SUMS lists (`<64 hex>  <name>` lines, as sha256sum writes them); [] when the file is absent. */
export function publishedNames(dir: string): string[] {
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

export async function downloadRoutes(app: FastifyInstance, options: { dir: string }): Promise<void> {
  app.get(
    '/download/:name',
    { config: { access: 'public' }, schema: { params: Type.Object({ name: Type.String() }) } },
    async (request, reply) => {
      const { name } = request.params as { name: string };
      const listed = name === SUMS_FILE || (SAFE_NAME.test(name) && publishedNames(options.dir).includes(name));
      if (!listed) throw new NinesError('NOT_FOUND', `no download named "${name}" (published: ${[...publishedNames(options.dir), SUMS_FILE].join(', ')})`);
      const path = join(options.dir, name);
      let size: number;
      try {
        const stat = statSync(path);
        if (!stat.isFile()) throw new Error('not a file');
        size = stat.size;
      } catch {
        throw new NinesError('NOT_FOUND', name === SUMS_FILE ? 'no downloads are published on this collector (build them with `npm run build`)' : `${name} is listed in ${SUMS_FILE} but missing`);
      }
      return reply
        .header('content-type', name === SUMS_FILE ? 'text/plain; charset=utf-8' : 'application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', `attachment; filename="${name}"`)
        // A rebuild replaces the files under the same names: clients must not keep an old one.
        .header('cache-control', 'no-cache')
        .send(createReadStream(path));
    },
  );
}
