import type { PublicState } from '@nines/shared';

const escapeXml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Roughly the advance of Verdana 11 px (the badge font people know from shields.io), per character class. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[il.,:;|!' ]/.test(ch) ? 3.5 : /[mwMW%]/.test(ch) ? 10 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(width);
}

export const BADGE_COLOURS = { up: '#1b7f3b', down: '#b42318', maintenance: '#1f5fbf', unknown: '#5b6472', partial: '#a86f00' } as const;

/** A two-part badge: grey label, coloured value; an SVG that works in a README, a wiki or an intranet page. */
export function badge(label: string, value: string, colour: string): string {
  const lw = textWidth(label) + 12;
  const vw = textWidth(value) + 12;
  const w = lw + vw;
  const l = escapeXml(label);
  const v = escapeXml(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}"><title>${l}: ${v}</title>`
    + `<clipPath id="r"><rect width="${w}" height="20" rx="3"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/>`
    + `<rect x="${lw}" width="${vw}" height="20" fill="${colour}"/></g>`
    + `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">`
    + `<text x="${lw / 2}" y="14">${l}</text><text x="${lw + vw / 2}" y="14">${v}</text></g></svg>`;
}

/** The colour of an uptime figure against the client's target: met → green, missed → red, no data → grey. */
export function uptimeColour(met: boolean | null): string {
  return met === null ? BADGE_COLOURS.unknown : met ? BADGE_COLOURS.up : BADGE_COLOURS.down;
}

export function stateColour(state: PublicState): string {
  return BADGE_COLOURS[state];
}
