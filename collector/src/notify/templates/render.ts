import { checkDisplayName, isSecurityKind, renderResultMessage, securityFinding } from '@nines/shared';
import type { Recipient } from '../../store/recipients.ts';
import type { NoticeItem } from '../outbox.ts';
import { TALLY_OF, type Catalog, type Tally, type Topic } from './catalog.ts';
import { formatDuration } from './duration.ts';
import { de } from './de.ts';
import { en } from './en.ts';

export const catalogs = { de, en } satisfies Record<Recipient['language'], Catalog>;

export interface RenderOptions {
  brand: string;
  /** Base URL of the dashboard for links; null leaves links out. */
  publicUrl: string | null;
  /** A signed one-click acknowledge link for this recipient, or null when there is no public URL. */
  ackLink(alertId: number, incident: number, recipient: Recipient): string | null;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export function topicOf(item: Pick<NoticeItem, 'alertKind' | 'checkKind'> & { metrics?: Record<string, number> }): Topic {
  if (item.alertKind === 'agentSilent' || item.alertKind === 'agentQuota') return 'agent';
  if (item.alertKind === 'hostDown') return 'host';
  if (item.alertKind === 'budget') return (item.metrics?.threshold_pct ?? 0) >= 100 ? 'budgetMissed' : 'budget';
  if (item.checkKind && isSecurityKind(item.checkKind)) return 'security';
  switch (item.checkKind) {
    case 'backup':
      return 'backup';
    case 'patch':
      return 'updates';
    case 'tls':
      return 'certificate';
    default:
      return 'service';
  }
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Date and time in the recipient's language and time zone, with the zone named so nobody has to guess. */
export function formatTime(at: number, catalog: Catalog, timeZone: string): string {
  return new Intl.DateTimeFormat(catalog.locale, {
    timeZone, year: 'numeric', month: catalog.numericMonth ? '2-digit' : 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(at);
}

function hostOf(item: NoticeItem, catalog: Catalog): string {
  return item.alertKind === 'budget' ? catalog.technical.allHosts : item.agentName;
}

function checkOf(item: NoticeItem, catalog: Catalog): string {
  switch (item.alertKind) {
    case 'agentSilent':
      return 'agent';
    case 'hostDown':
      return catalog.technical.hostDown;
    case 'agentQuota':
      return catalog.technical.agentQuota;
    case 'budget':
      return catalog.technical.errorBudget;
    case 'check': // a check without a name (the agent's own patch check) gets the default of its kind in this language
      return checkDisplayName({ id: item.checkId, name: item.checkName, kind: item.checkKind ?? '' }, catalog.locale.slice(0, 2), item.params);
  }
}

/** Budget figures as a client reads them: whole minutes (rounded up, never flattering) and the target in the recipient's notation. */
function budgetValues(item: NoticeItem, catalog: Catalog): Record<string, string> {
  if (item.alertKind !== 'budget') return {};
  const m = item.metrics;
  const number = new Intl.NumberFormat(catalog.locale, { maximumFractionDigits: 3 });
  return {
    spentMinutes: number.format(Math.ceil((m.spent_ms ?? 0) / 60_000)),
    budgetMinutes: number.format(Math.floor((m.budget_ms ?? 0) / 60_000)),
    spentPercent: number.format(m.spent_pct ?? 0),
    target: number.format((m.target_ppm ?? 0) / 10_000),
  };
}

/** One line per item, each what its one-change subject says (the push text on a phone); past `max` lines, "+N". */
export function renderSummary(items: readonly NoticeItem[], recipient: Recipient, max = 5): string {
  const catalog = catalogs[recipient.language];
  const lines = items.slice(0, max).map((item) => subjectFor([item], recipient, catalog));
  if (items.length > max) lines.push(`+${items.length - max}`);
  return lines.join('\n');
}

function isProblem(item: NoticeItem): boolean {
  return item.event !== 'resolved';
}

/** A digest for one recipient: the technical form for the consultant, the plain form for the client, in their language. */
export function renderNotice(items: readonly NoticeItem[], recipient: Recipient, options: RenderOptions): Rendered {
  if (items.length === 0) throw new Error('renderNotice: a notice needs at least one item');
  const catalog = catalogs[recipient.language];
  return recipient.audience === 'technical' ? renderTechnical(items, recipient, catalog, options) : renderPlain(items, recipient, catalog, options);
}

/**
 * A security check's state in one sentence a client understands ("Der Virenschutz ist ausgeschaltet."), from the
 * result the item shows; never the probe's own message, which is for the consultant.
 */
function findingValues(item: NoticeItem, recipient: Recipient): Record<string, string> {
  if (item.alertKind !== 'check' || !item.checkKind || !isSecurityKind(item.checkKind)) return {};
  const finding = securityFinding(item.checkKind, item.status ?? item.severity ?? 'UNKNOWN', item.code, item.params, recipient.language);
  return { finding, findingShort: finding.replace(/\.$/, '') };
}

function itemValues(item: NoticeItem, catalog: Catalog, recipient: Recipient): Record<string, string> {
  return {
    ...findingValues(item, recipient),
    client: item.clientName, host: hostOf(item, catalog), check: checkOf(item, catalog), severity: item.severity ?? 'OK',
    message: renderResultMessage(item.code, item.params, recipient.language, item.message), at: formatTime(item.at, catalog, recipient.timezone),
    duration: formatDuration(item.at - item.problemSince, catalog), state: flapState(item, catalog), ...budgetValues(item, catalog),
  };
}

/** A flapping check as it is now: "3 outages in 30 min, currently OK" (the current result's status, not the incident's worst). */
function flapState(item: NoticeItem, catalog: Catalog): string {
  if (!item.flap) return item.status ?? item.severity ?? 'OK';
  return fill(catalog.technical.flappingState, { outages: item.flap.outages, window: formatDuration(item.flap.windowMs, catalog), status: item.status ?? item.severity ?? '?' });
}

/** Whether the check is failing now, by the result the item shows. */
function failingNow(item: NoticeItem): boolean {
  return item.status === null ? item.severity !== null : item.status !== 'OK';
}

const TALLY_ORDER: Tally[] = ['problem', 'flapping', 'reminder', 'escalation', 'resolved'];

/**
 * One change: what happened, to what ("Störung: Webshop auf baecker-server", "Behoben nach 12 Min.: …"); the
 * consultant's keeps its short tag. Several: what happened, counted, for whom ("2 Störungen, 1 behoben: Bäckerei Müller").
 */
function subjectFor(items: readonly NoticeItem[], recipient: Recipient, catalog: Catalog): string {
  const first = items[0]!;
  if (items.length > 1) {
    const clients = [...new Set(items.map((i) => i.clientName))].join(', ');
    const tally = new Map<Tally, number>();
    for (const item of items) tally.set(TALLY_OF[item.event], (tally.get(TALLY_OF[item.event]) ?? 0) + 1);
    const summary = TALLY_ORDER.filter((k) => tally.has(k))
      .map((k) => fill(catalog.subject.counts[k][tally.get(k) === 1 ? 'one' : 'other'], { n: tally.get(k)! }))
      .join(', ');
    return fill(catalog.subject.digest[recipient.audience === 'technical' ? 'technical' : 'plain'], { summary, clients }).slice(0, 200);
  }
  const values = itemValues(first, catalog, recipient);
  if (recipient.audience === 'technical') return fill(catalog.subject.technical[first.event], values).slice(0, 200);
  if (first.event === 'flapping') return fill(catalog.plain.flapping.subject, values).slice(0, 200);
  return fill(catalog.plain.subject[topicOf(first)][isProblem(first) ? 'problem' : 'resolved'], values).slice(0, 200);
}

function renderTechnical(items: readonly NoticeItem[], recipient: Recipient, catalog: Catalog, options: RenderOptions): Rendered {
  const l = catalog.technical.labels;
  const blocks = items.map((item) => {
    const v = itemValues(item, catalog, recipient);
    const metrics = Object.entries(item.metrics).map(([k, n]) => `${k}=${n}`).join(', ');
    const rows: [string, string][] = [
      [l.client, v.client!],
      [l.host, item.hostname && item.hostname !== item.agentName ? `${item.agentName} (${item.hostname})` : v.host!],
      [l.check, item.alertKind === 'check' ? `${item.checkName} (${item.checkKind ?? '?'})` : v.check!],
      // Flapping: the state as it is now, beside the message of the same result (never the incident's worst severity).
      item.event === 'flapping' ? [l.state, fill(catalog.technical.flappingRow, { state: v.state! })] : [l.severity, v.severity!],
      [l.message, v.message!],
      ...(metrics ? [[l.metrics, metrics] as [string, string]] : []),
      [l.at, v.at!],
      ...(item.event === 'resolved' ? [[l.duration, v.duration] as [string, string]] : []),
      [l.incident, `#${item.incident} · alert ${item.alertId}`],
    ];
    const links: [string, string][] = [];
    const ack = item.event !== 'resolved' ? options.ackLink(item.alertId, item.incident, recipient) : null;
    if (ack) links.push([catalog.technical.ack, ack]);
    if (options.publicUrl) links.push([catalog.technical.open, `${options.publicUrl.replace(/\/$/, '')}/#/alerts/${item.alertId}`]);
    return { title: catalog.technical.event[item.event], rows, links };
  });
  const intro = fill(catalog.technical.intro, { count: items.length });
  const text = [
    intro,
    '',
    ...blocks.flatMap((b) => [`== ${b.title} ==`, ...b.rows.map(([k, v]) => `${k}: ${v}`), ...b.links.map(([k, v]) => `${k}: ${v}`), '']),
    `-- ${options.brand}`,
  ].join('\n');
  const html = page(
    catalog,
    [
      `<p>${escapeHtml(intro)}</p>`,
      ...blocks.map(
        (b) =>
          `<h3 style="margin:16px 0 4px">${escapeHtml(b.title)}</h3><table style="border-collapse:collapse">` +
          b.rows.map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('') +
          `</table>` +
          (b.links.length ? `<p>${b.links.map(([k, v]) => `<a href="${escapeHtml(v)}">${escapeHtml(k)}</a>`).join(' · ')}</p>` : ''),
      ),
      `<p style="color:#666">— ${escapeHtml(options.brand)}</p>`,
    ].join('\n'),
  );
  return { subject: subjectFor(items, recipient, catalog), text, html };
}

function renderPlain(items: readonly NoticeItem[], recipient: Recipient, catalog: Catalog, options: RenderOptions): Rendered {
  const p = catalog.plain;
  const sentences = items.map((item) => {
    const v = itemValues(item, catalog, recipient);
    const topic = topicOf(item);
    if (item.event === 'flapping') return `${fill(failingNow(item) ? p.flapping.down : p.flapping.up, v)} ${fill(p.since, v)}`;
    const what = fill(p.topic[topic][isProblem(item) ? 'problem' : 'resolved'], v);
    const lasted = item.event === 'resolved' && topic !== 'budget' && topic !== 'budgetMissed' ? ` ${fill(p.lasted, v).replace(/\.\.$/, '.')}` : ''; // "12 Min." ends the sentence itself
    return `${what}${lasted} ${fill(p.since, v)}`;
  });
  const anyProblem = items.some((item) => isProblem(item) && (item.event !== 'flapping' || failingNow(item)));
  const doing = fill(anyProblem ? p.doing.problem : p.doing.resolved, { brand: options.brand });
  const paragraphs = [fill(p.greeting, { name: recipient.name }), p.intro, ...sentences, doing, fill(p.signoff, { brand: options.brand })];
  const footer = fill(p.footer, { brand: options.brand });
  const text = [...paragraphs, '--', footer].join('\n\n');
  const html = page(
    catalog,
    paragraphs.map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`).join('\n') + `\n<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
  );
  return { subject: subjectFor(items, recipient, catalog), text, html };
}

function page(catalog: Catalog, body: string): string {
  return `<!doctype html>\n<html lang="${catalog.locale.slice(0, 2)}"><head><meta charset="utf-8"></head>\n<body style="font-family:sans-serif;font-size:14px;line-height:1.4">\n${body}\n</body></html>\n`;
}
