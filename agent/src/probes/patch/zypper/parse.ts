import type { PendingUpdate } from '../types.ts';

/** Attributes of one XML start tag: name="value" pairs, entities decoded. */
function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[m[1]!] = decodeEntities(m[2]!);
  return attrs;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

function updateTags(xml: string): Record<string, string>[] {
  if (!/<stream>/.test(xml) || !/<\/stream>/.test(xml)) throw new Error('not zypper --xmlout output (no <stream>…</stream>)');
  const errors = [...xml.matchAll(/<message type="error">([^<]*)<\/message>/g)].map((m) => decodeEntities(m[1]!));
  if (errors.length) throw new Error(errors.join(' '));
  if (!/<update-status\b/.test(xml)) throw new Error('zypper --xmlout output without <update-status>');
  return [...xml.matchAll(/<update\s[^>]*?(?:\/>|>([\s\S]*?)<\/update>)/g)].map((m) => {
    const attrs = attributes(m[0].slice(0, m[0].indexOf('>') + 1));
    const source = /<source\s[^>]*>/.exec(m[1] ?? '');
    const alias = source ? attributes(source[0]).alias : undefined;
    if (alias) attrs['repo-alias'] = alias;
    return attrs;
  });
}

/** `zypper --xmlout list-updates`: one <update kind="package" name edition edition-old arch> per package. */
export function parseZypperUpdates(xml: string): PendingUpdate[] {
  return updateTags(xml)
    .filter((a) => (a.kind ?? 'package') === 'package' && a.name)
    .map((a) => {
      const update: PendingUpdate = { name: a.name!, security: false };
      if (a['edition-old']) update.current = a['edition-old'];
      if (a.edition) update.candidate = a.edition;
      if (a['repo-alias']) update.origin = a['repo-alias'];
      return update;
    });
}

export interface ZypperPatch {
  name: string;
  category: string;
  severity?: string;
  status?: string;
}

/** `zypper --xmlout list-patches`: needed patches with their category (security, recommended, optional…). */
export function parseZypperPatches(xml: string): ZypperPatch[] {
  return updateTags(xml)
    .filter((a) => a.kind === 'patch' && a.name)
    .map((a) => ({ name: a.name!, category: a.category ?? '', severity: a.severity, status: a.status }));
}
