/** The Monday overview as a mail: plain text (what most consultants read on the phone) and the same as simple HTML. */
import type { Lang } from '../messages.ts';
import { Formatter } from '../format.ts';
import { itemCount, type Overview, type OverviewItem } from './gather.ts';
import { WEEKLY_MESSAGES } from './messages.ts';

export interface OverviewMail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  lang: Lang;
  /** The consultant's zone: dates in the mail are his. */
  timeZone: string;
  /** The dashboard's address; without it the lines carry no links. */
  publicUrl: string | null;
  brand: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The dashboard route (dashboard/src/main.ts) that shows an item. */
function route(item: OverviewItem, clientId: number): string {
  if (item.kind === 'budget') return `#/client/${clientId}`;
  if (item.kind === 'silent') return `#/host/${encodeURIComponent(item.agentId)}`;
  return `#/check/${encodeURIComponent(item.agentId)}/${encodeURIComponent(item.checkId)}`;
}

function line(item: OverviewItem, f: Formatter, lang: Lang): string {
  const m = WEEKLY_MESSAGES[lang];
  switch (item.kind) {
    case 'backup': return m.backup(item.host, item.check, item.status, item.message);
    case 'security': return m.security(item.host, item.check, item.count, f.date(item.pendingSince));
    case 'reboot': return m.reboot(item.host, item.check);
    case 'certificate': return m.certificate(item.host, item.check, Math.floor(item.daysLeft));
    case 'disk': return m.disk(item.host, item.check, f.percent(item.usedPercent.toFixed(0))!);
    case 'budget': return m.budget(f.number(Math.ceil(item.spentMs / 60_000)), f.number(Math.floor(item.budgetMs / 60_000)), f.percent(Math.floor((item.spentMs / item.budgetMs) * 100).toFixed(0))!);
    case 'silent': return m.silent(item.host, f.dateTime(item.since));
  }
}

export function renderOverview(overview: Overview, options: RenderOptions): OverviewMail {
  const m = WEEKLY_MESSAGES[options.lang];
  const f = new Formatter(options.lang, options.timeZone);
  const base = options.publicUrl?.replace(/\/+$/, '') ?? null;
  const items = itemCount(overview);
  if (items === 0) {
    const quiet = m.quiet(overview.clientCount);
    return { subject: quiet, text: `${quiet}\n\n-- \n${m.footer(options.brand)}\n`, html: `<p>${escapeHtml(quiet)}</p>\n<p style="color:#666">${escapeHtml(m.footer(options.brand))}</p>\n` };
  }
  const text: string[] = [m.intro(f.date(overview.at)), ''];
  const html: string[] = [`<p>${escapeHtml(m.intro(f.date(overview.at)))}</p>`];
  for (const client of overview.clients) {
    text.push(client.name, '='.repeat(client.name.length));
    html.push(`<h2 style="font-size:1.1em;margin:1em 0 .3em">${escapeHtml(client.name)}</h2>`, '<ul>');
    for (const item of client.items) {
      const words = line(item, f, options.lang);
      const url = base ? `${base}/${route(item, client.clientId)}` : null;
      text.push(`- ${words}`, ...(url ? [`  ${url}`] : []));
      html.push(`<li>${escapeHtml(words)}${url ? ` <a href="${escapeHtml(url)}">${escapeHtml(m.open)}</a>` : ''}</li>`);
    }
    text.push('');
    html.push('</ul>');
  }
  text.push('-- ', m.footer(options.brand), '');
  html.push(`<p style="color:#666">${escapeHtml(m.footer(options.brand))}</p>`, '');
  return { subject: m.subject(items, overview.clients.length), text: text.join('\n'), html: html.join('\n') };
}
