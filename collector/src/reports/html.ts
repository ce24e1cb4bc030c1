/** The monthly report as one self-contained HTML page: readable on screen, printable to PDF by any browser. */
import { renderResultMessage } from '@nines/shared';
import type { MonthlyReport } from './monthly.ts';
import { Formatter } from './format.ts';
import { MESSAGES, type Lang } from './messages.ts';
import { PARTIAL_COVERAGE_BELOW, PPM } from '../availability/budget.ts';
import { incidentCause } from '../availability/incidents.ts';
import { securityRows } from './security-text.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  .meta { color: #57606a; margin: 0 0 1.5rem; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .8rem; }
  .card { border: 1px solid #d0d7de; border-radius: 6px; padding: .7rem .9rem; }
  .card .label { color: #57606a; font-size: .85rem; } .card .value { font-size: 1.35rem; font-weight: 600; }
  .met { color: #1a7f37; } .not-met { color: #cf222e; } .none { color: #57606a; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { font-weight: 600; background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; }
  .note, footer { color: #57606a; font-size: .85rem; } footer { margin-top: 2.5rem; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

/** Renders a report in one language; every figure comes from `report`, formatted per locale in the client's time zone. */
export function renderMonthlyReport(report: MonthlyReport, lang: Lang): string {
  const m = MESSAGES[lang];
  const f = new Formatter(lang, report.client.timeZone);
  const na = m.notAvailable;
  const fig = report.figure;
  const targetPercent = f.percent(((report.client.targetPpm / PPM) * 100).toFixed(report.client.targetPpm % 1000 === 0 ? 1 : 3));
  const card = (key: string, label: string, value: string, extra = '') =>
    `<div class="card"><div class="label">${label}</div><div class="value" data-figure="${key}">${value}</div>${extra}</div>`;
  const note = (key: string, text: string) => `<div class="note" data-figure="${key}">${text}</div>`;
  // No measured time: no figure, no verdict, nothing left or spent. A running month is an interim state.
  const measured = fig.measuredMs > 0;
  const verdict = fig.met === null ? `<span class="none">${m.noData}</span>`
    : fig.met ? `<span class="met">${fig.running ? m.metSoFar : m.met}</span>` : `<span class="not-met">${fig.running ? m.notMetSoFar : m.notMet}</span>`;
  const verdictNotes = (fig.running ? note('interim', `${m.interim} ${f.date(fig.window.to - 1)}`) : '')
    + (measured ? note('verdict-coverage', `${m.coverageShort} ${f.fractionFloor(fig.coverage) ?? na}${fig.partialData ? `: ${m.partialData}` : ''}`) : '');
  const b = fig.budget;
  const budgetNotes = (fig.running ? note('budget-so-far', `${m.budgetSoFar}: ${f.duration(b.elapsedBudgetMs, 'down')}`) : '')
    + (measured && b.allowedMs !== b.elapsedBudgetMs ? note('budget-measured', `${m.budgetMeasured}: ${f.duration(b.allowedMs, 'down')}`) : '')
    + note('budget-left', !measured ? m.noDataShort
      : b.windowRemainingMs >= 0 ? `${m.budgetLeft}: ${f.duration(b.windowRemainingMs, 'down')}` : `${m.budgetOver} ${f.duration(-b.windowRemainingMs, 'up')}`);
  const pct = (x: MonthlyReport['figure']) => f.percent(x.availabilityPercent) ?? na;

  const hosts = report.hosts.map((h) => `<tr data-host="${escapeHtml(h.name)}"><td>${escapeHtml(h.name)}</td><td class="num">${pct(h.figure)}</td>
      <td class="num">${f.duration(h.figure.downMs, 'up')}</td><td class="num">${f.fractionFloor(h.figure.coverage) ?? na}</td></tr>`).join('\n');
  const checks = report.checks.map((c) => `<tr><td>${escapeHtml(c.host)}</td><td>${escapeHtml(c.check)}</td><td class="num">${pct(c.figure)}</td>
      <td class="num">${f.duration(c.figure.downMs, 'up')}</td><td class="num">${f.fractionFloor(c.figure.coverage) ?? na}</td></tr>`).join('\n');
  const incidents = report.incidents.map((i) => `<tr class="incident"><td>${escapeHtml(i.name)}</td><td>${f.dateTime(i.from)}</td>
      <td>${i.ongoing ? m.ongoing : f.dateTime(i.to)}</td><td class="num">${f.duration(i.durationMs, 'up')}</td><td>${escapeHtml(incidentCause(i, lang))}</td></tr>`).join('\n');
  const backups = report.backups.map((b) => `<tr><td>${escapeHtml(b.host)}</td><td>${escapeHtml(b.check)}</td>
      <td>${b.lastStatus} · ${escapeHtml(renderResultMessage(b.lastCode, b.lastParams, lang, b.lastMessage))} (${f.dateTime(b.lastAt)})</td><td class="num">${b.ageS === null ? na : f.duration(b.ageS * 1000, 'up')}</td>
      <td class="num">${b.sizeBytes === null ? na : f.bytes(b.sizeBytes)}</td><td class="num">${b.counts.OK} / ${b.counts.WARN} / ${b.counts.CRIT}</td></tr>`).join('\n');
  const patches = report.patches.map((p) => `<tr><td>${escapeHtml(p.host)}</td><td>${escapeHtml(p.check)}</td><td class="num">${p.pending ?? na}</td>
      <td class="num">${p.security ?? na}</td><td>${p.rebootRequired === null ? na : p.rebootRequired ? m.yes : m.no}</td></tr>`).join('\n');
  const monthStart = fig.window.from;
  const sec = securityRows(report.security, lang, f, m);
  const cells = (row: string[], numFrom = Infinity) => row.map((c, i) => `<td${i >= numFrom ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('');
  const security = report.security.length === 0 ? `<p>${m.noSecurity}</p>` : `<p class="note">${m.securityIntro}</p>
  <h3>${m.securityNow}</h3>
  <table><thead><tr><th>${m.host}</th><th>${m.check}</th><th>${m.finding}</th><th class="num">${m.runs}</th></tr></thead>
  <tbody>${sec.now.map((r) => `<tr class="security-now">${cells(r, 3)}</tr>`).join('\n')}</tbody></table>
  <h3>${m.securityFindings} (<span data-figure="security-findings">${sec.findings.length}</span>)</h3>
  ${sec.findings.length === 0 ? `<p>${m.noSecurityFindings}</p>` : `<table><thead><tr><th>${m.host}</th><th>${m.check}</th><th>${m.finding}</th><th>${m.noticed}</th><th>${m.fixed}</th></tr></thead>
  <tbody>${sec.findings.map((r) => `<tr class="security-finding">${cells(r)}</tr>`).join('\n')}</tbody></table>`}
  ${sec.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}`;

  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title} · ${escapeHtml(report.client.name)} · ${report.month}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${m.title}: ${escapeHtml(report.client.name)}</h1>
  <p class="meta"><span data-figure="month">${f.monthTitle(monthStart)}</span> · ${m.period}: ${f.date(fig.window.from)} – ${f.date(fig.window.to - 1)}
    · ${m.timeZone}: ${escapeHtml(report.client.timeZone)} · ${m.generated}: ${f.dateTime(report.generatedAt)}</p>
</header>
<section>
  <h2>${m.summary}</h2>
  <div class="cards">
    ${card('achieved', m.achieved, f.percent(fig.availabilityPercent) ?? m.noDataShort)}
    ${card('target', m.target, targetPercent ?? na)}
    ${card('verdict', m.verdict, verdict, verdictNotes)}
    ${card('downtime', m.downtime, f.duration(fig.downMs, 'up'))}
    ${card('budget', m.budget, f.duration(b.windowBudgetMs, 'down'), budgetNotes)}
    ${card('coverage', m.coverage, f.fractionFloor(fig.coverage) ?? na)}
    ${card('maintenance', m.maintenance, f.duration(fig.maintenanceMs, 'down'))}
  </div>
  <p class="note">${m.coverageNote}</p>
  <p class="note">${m.budgetNote.replace('{0}', f.percent(String(PARTIAL_COVERAGE_BELOW * 100))!)}</p>
</section>
<section>
  <h2>${m.hosts}</h2>
  <table><thead><tr><th>${m.host}</th><th class="num">${m.availability}</th><th class="num">${m.downtime}</th><th class="num">${m.coverage}</th></tr></thead>
  <tbody>${hosts}</tbody></table>
  <h2>${m.checks}</h2>
  <table><thead><tr><th>${m.host}</th><th>${m.check}</th><th class="num">${m.availability}</th><th class="num">${m.downtime}</th><th class="num">${m.coverage}</th></tr></thead>
  <tbody>${checks}</tbody></table>
</section>
<section>
  <h2>${m.incidents} (<span data-figure="incident-count">${report.incidents.length}</span>)</h2>
  ${report.incidents.length === 0 ? `<p>${m.noIncidents}</p>` : `<table><thead><tr><th>${m.check}</th><th>${m.start}</th><th>${m.end}</th><th class="num">${m.duration}</th><th>${m.cause}</th></tr></thead>
  <tbody>${incidents}</tbody></table>`}
</section>
<section>
  <h2>${m.backups}</h2>
  ${report.backups.length === 0 ? `<p>${m.noBackups}</p>` : `<table><thead><tr><th>${m.host}</th><th>${m.check}</th><th>${m.lastBackup}</th><th class="num">${m.lastAge}</th><th class="num">${m.lastSize}</th><th class="num">${m.runs}</th></tr></thead>
  <tbody>${backups}</tbody></table>`}
  <h2>${m.patches}</h2>
  ${report.patches.length === 0 ? `<p>${m.noPatches}</p>` : `<table><thead><tr><th>${m.host}</th><th>${m.check}</th><th class="num">${m.pending}</th><th class="num">${m.security}</th><th>${m.reboot}</th></tr></thead>
  <tbody>${patches}</tbody></table>`}
</section>
<section data-section="security">
  <h2>${m.securityTitle}</h2>
  ${security}
</section>
<footer>${m.footer}</footer>
</body>
</html>
`;
}
