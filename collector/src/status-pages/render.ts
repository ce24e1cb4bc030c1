import { STATUS_PAGE_DAYS, type PublicState, type StatusPageView } from '@nines/shared';
import { STATUS_TEXTS } from './texts.ts';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LOCALES = { de: 'de-DE', en: 'en-GB' } as const;

function formatters(language: 'de' | 'en', timeZone: string) {
  const when = new Intl.DateTimeFormat(LOCALES[language], { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
  const percent = (p: string) => (language === 'de' ? p.replace('.', ',') : p);
  return {
    when: (ms: number) => when.format(ms),
    // Dates are the client's local days already; formatted as such, not converted again.
    date: (iso: string) => day.format(Date.parse(`${iso}T00:00:00Z`)),
    percent: (p: string | null) => (p === null ? null : `${percent(p)} %`),
    minutes: (ms: number) => `${Math.ceil(ms / 60_000)} min`,
  };
}

const STYLE = `
:root { --ok: #1b7f3b; --partial: #c98a00; --down: #b42318; --maint: #1f5fbf; --none: #c4c9d2; --bg: #f6f7f9; --fg: #1d2330; --card: #fff; --muted: #5b6472; --line: #dde1e7; }
@media (prefers-color-scheme: dark) { :root { --bg: #12151b; --fg: #e6e9ef; --card: #1c2029; --muted: #a3abb8; --line: #2e3442; --none: #3a404d; --ok: #3fb463; --down: #f0645a; --maint: #5c9cf5; --partial: #d9a021; } .banner.up, .banner.down, .banner.maintenance { color: #0b0d11; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 56rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header { display: flex; align-items: center; gap: 1rem; margin-bottom: 1rem; } header img { max-height: 3rem; max-width: 12rem; }
h1 { font-size: 1.5rem; margin: 0; } .brand { color: var(--muted); margin: 0; }
.banner { padding: 0.9rem 1.1rem; border-radius: 0.5rem; color: #fff; font-weight: 600; margin: 1rem 0; }
.banner.up { background: var(--ok); } .banner.down { background: var(--down); } .banner.maintenance { background: var(--maint); } .banner.unknown { background: #5b6472; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 0.5rem; padding: 1rem 1.1rem; margin: 1rem 0; }
.service + .service { border-top: 1px solid var(--line); margin-top: 0.9rem; padding-top: 0.9rem; }
.service h2 { font-size: 1.05rem; margin: 0; display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.state { font-weight: 600; } .state.up { color: var(--ok); } .state.down { color: var(--down); } .state.maintenance { color: var(--maint); } .state.unknown { color: var(--muted); }
.bars { display: flex; gap: 2px; height: 2.2rem; margin: 0.5rem 0 0.2rem; }
.bars span { flex: 1 1 0; border-radius: 2px; min-width: 2px; }
.bars .ok { background: var(--ok); } .bars .partial { background: var(--partial); } .bars .down { background: var(--down); } .bars .maintenance { background: var(--maint); } .bars .none { background: var(--none); }
.scale { display: flex; justify-content: space-between; color: var(--muted); font-size: 0.85rem; }
.notice h2 { font-size: 1.05rem; margin: 0 0 0.3rem; } .notice p { margin: 0.3rem 0; } .when { color: var(--muted); font-size: 0.9rem; }
.notice.incident { border-left: 4px solid var(--down); } .notice.maintenance { border-left: 4px solid var(--maint); } .notice.info { border-left: 4px solid var(--muted); }
h3 { font-size: 0.95rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; margin: 1.5rem 0 0.3rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; color: var(--muted); font-size: 0.85rem; margin: 0.5rem 0 0; }
.legend i { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 2px; margin-right: 0.3rem; vertical-align: -1px; }
.legend .ok { background: var(--ok); } .legend .partial { background: var(--partial); } .legend .down { background: var(--down); } .legend .maintenance { background: var(--maint); } .legend .none { background: var(--none); }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 1.5rem; }
@media (max-width: 40rem) { .bars { gap: 1px; height: 1.8rem; } }
`;

function page(language: 'de' | 'en', title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The status page as HTML: no script, readable without one, the same in every browser and mail preview. */
export function renderStatusPage(view: StatusPageView, logo: { mime: string; base64: string } | null): string {
  const t = STATUS_TEXTS[view.language];
  const f = formatters(view.language, view.timeZone);
  const stateLabel = (s: PublicState) => `<span class="state ${s}">${escapeHtml(t.state[s])}</span>`;
  const services = view.services.map((s) => {
    const bars = s.days.map((d) => {
      const tip = [f.date(d.date), t.level[d.level], f.percent(d.percent), d.downMs > 0 ? `${t.down} ${f.minutes(d.downMs)}` : null].filter(Boolean).join(' · ');
      return `<span class="${d.level}" title="${escapeHtml(tip)}" data-date="${d.date}"></span>`;
    }).join('');
    const uptime = f.percent(s.uptimePercent) ?? t.noData;
    return `<div class="service" data-position="${s.position}" data-state="${s.state}"><h2><span>${escapeHtml(s.name)}</span>${stateLabel(s.state)}</h2>`
      + `<div class="bars" role="img" aria-label="${escapeHtml(`${t.uptime(STATUS_PAGE_DAYS)}: ${uptime}`)}">${bars}</div>`
      + `<div class="scale"><span>${escapeHtml(t.daysAgo(STATUS_PAGE_DAYS))}</span><span>${escapeHtml(t.uptimeShort)}: <b data-uptime>${escapeHtml(uptime)}</b></span><span>${escapeHtml(t.today)}</span></div></div>`;
  }).join('');
  const notice = (n: StatusPageView['notices'][number]) => {
    const span = n.to === null ? `${t.since} ${f.when(n.from)}` : `${f.when(n.from)} ${t.until} ${f.when(n.to)}`;
    return `<section class="notice ${n.kind}" data-kind="${n.kind}" data-phase="${n.phase}"><h2>${escapeHtml(t.notice[n.kind])}: ${escapeHtml(n.title)}</h2>`
      + `<p class="when">${escapeHtml(span)}</p>${n.body ? n.body.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p)}</p>`).join('') : ''}</section>`;
  };
  const phases = (['current', 'upcoming', 'ended'] as const).map((phase) => {
    const of = view.notices.filter((n) => n.phase === phase);
    return of.length === 0 ? '' : `<h3>${escapeHtml(t.phase[phase])}</h3>${of.map(notice).join('')}`;
  });
  const body = `<header>${logo ? `<img src="data:${logo.mime};base64,${logo.base64}" alt="${escapeHtml(view.brand)}">` : ''}<div><h1>${escapeHtml(view.title)}</h1><p class="brand">${escapeHtml(view.brand)}</p></div></header>`
    + `<div class="banner ${view.overall}" role="status" data-overall="${view.overall}">${escapeHtml(t.overall[view.overall])}</div>`
    + phases[0] + `<section aria-label="${escapeHtml(t.uptime(STATUS_PAGE_DAYS))}">${services}</section>` + phases[1] + phases[2]
    + `<p class="legend">${(['ok', 'partial', 'down', 'maintenance', 'none'] as const).map((l) => `<span><i class="${l}"></i>${escapeHtml(t.level[l])}</span>`).join('')}</p>`
    + `<footer>${escapeHtml(t.updated)}: ${escapeHtml(f.when(view.generatedAt))} · ${escapeHtml(t.target)} ${escapeHtml(f.percent(view.targetPercent)!)}</footer>`;
  return page(view.language, view.title, body);
}

/** What an unknown, rotated or switched-off link shows: the same for all three, so a link tells nothing. */
export function renderStatusNotFound(language: 'de' | 'en'): string {
  const t = STATUS_TEXTS[language];
  return page(language, t.notFound, `<h1>${escapeHtml(t.notFound)}</h1><p>${escapeHtml(t.notFoundBody)}</p>`);
}
