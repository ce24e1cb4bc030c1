/** The monthly report as an A4 PDF: the HTML report's content and texts, plus the daily availability chart. */
import { renderResultMessage } from '@nines/shared';
import type { MonthlyReport } from '../monthly.ts';
import { Formatter } from '../format.ts';
import { MESSAGES, type Lang } from '../messages.ts';
import { PARTIAL_COVERAGE_BELOW, PPM } from '../../availability/budget.ts';
import { incidentCause } from '../../availability/incidents.ts';
import type { LoadedBranding } from './branding.ts';
import { COLORS, ReportDocument, type Box } from './layout.ts';
import { dayBars, drawBarChart } from './chart.ts';
import { securityRows } from '../security-text.ts';

export interface RenderedPdf {
  pdf: Buffer;
  /** Where the chart's plot area is (page 1-based, PDF points from the top left). */
  chart: Box;
}

export const targetPercentOf = (f: Formatter, targetPpm: number) => f.percent(((targetPpm / PPM) * 100).toFixed(targetPpm % 1000 === 0 ? 1 : 3));

export async function renderMonthlyPdf(report: MonthlyReport, lang: Lang, branding: LoadedBranding): Promise<RenderedPdf> {
  const m = MESSAGES[lang];
  const f = new Formatter(lang, report.client.timeZone);
  const na = m.notAvailable;
  const fig = report.figure;
  const rd = await ReportDocument.create(branding, (page, of) => m.page.replace('{0}', String(page)).replace('{1}', String(of)), {
    title: `${m.title} · ${report.client.name} · ${report.month}`, createdAt: report.generatedAt, lang,
  });

  rd.title(`${m.title}: ${report.client.name}`,
    `${f.monthTitle(fig.window.from)} · ${m.period}: ${f.date(fig.window.from)} – ${f.date(fig.window.to - 1)} · ${m.timeZone}: ${report.client.timeZone} · ${m.generated}: ${f.dateTime(report.generatedAt)}`);

  // Summary: the same figures, verdict and notes as the HTML report's cards.
  const measured = fig.measuredMs > 0;
  const b = fig.budget;
  const verdict = fig.met === null ? m.noData : fig.met ? (fig.running ? m.metSoFar : m.met) : (fig.running ? m.notMetSoFar : m.notMet);
  rd.heading(m.summary);
  rd.keyValues([
    { label: m.achieved, value: f.percent(fig.availabilityPercent) ?? m.noDataShort },
    { label: m.target, value: targetPercentOf(f, report.client.targetPpm) ?? na },
    {
      label: m.verdict, value: verdict, color: fig.met === null ? COLORS.muted : fig.met ? COLORS.met : COLORS.notMet,
      notes: [
        fig.running ? `${m.interim} ${f.date(fig.window.to - 1)}` : '',
        measured ? `${m.coverageShort} ${f.fractionFloor(fig.coverage) ?? na}${fig.partialData ? `: ${m.partialData}` : ''}` : '',
      ],
    },
    { label: m.downtime, value: f.duration(fig.downMs, 'up') },
    {
      label: m.budget, value: f.duration(b.windowBudgetMs, 'down'),
      notes: [
        fig.running ? `${m.budgetSoFar}: ${f.duration(b.elapsedBudgetMs, 'down')}` : '',
        measured && b.allowedMs !== b.elapsedBudgetMs ? `${m.budgetMeasured}: ${f.duration(b.allowedMs, 'down')}` : '',
        !measured ? m.noDataShort : b.windowRemainingMs >= 0 ? `${m.budgetLeft}: ${f.duration(b.windowRemainingMs, 'down')}` : `${m.budgetOver} ${f.duration(-b.windowRemainingMs, 'up')}`,
      ],
    },
    { label: m.coverage, value: f.fractionFloor(fig.coverage) ?? na },
    { label: m.maintenance, value: f.duration(fig.maintenanceMs, 'down') },
  ]);
  rd.note(m.coverageNote);
  rd.note(m.budgetNote.replace('{0}', f.percent(String(PARTIAL_COVERAGE_BELOW * 100))!));

  rd.heading(m.dailyChart);
  const chart = drawBarChart(rd, dayBars(report.days, report.client.timeZone), report.client.targetPpm, f, m);

  const pct = (x: MonthlyReport['figure']) => f.percent(x.availabilityPercent) ?? na;
  rd.heading(m.hosts);
  rd.table(
    [{ header: m.host, share: 0.4 }, { header: m.availability, share: 0.2, align: 'right' }, { header: m.downtime, share: 0.2, align: 'right' }, { header: m.coverage, share: 0.2, align: 'right' }],
    report.hosts.map((h) => [h.name, pct(h.figure), f.duration(h.figure.downMs, 'up'), f.fractionFloor(h.figure.coverage) ?? na]),
  );
  rd.heading(m.checks);
  rd.table(
    [{ header: m.host, share: 0.22 }, { header: m.check, share: 0.26 }, { header: m.availability, share: 0.16, align: 'right' }, { header: m.downtime, share: 0.2, align: 'right' }, { header: m.coverage, share: 0.16, align: 'right' }],
    report.checks.map((c) => [c.host, c.check, pct(c.figure), f.duration(c.figure.downMs, 'up'), f.fractionFloor(c.figure.coverage) ?? na]),
  );

  rd.heading(`${m.incidents} (${report.incidents.length})`);
  if (report.incidents.length === 0) rd.note(m.noIncidents);
  else rd.table(
    [{ header: m.check, share: 0.2 }, { header: m.start, share: 0.17 }, { header: m.end, share: 0.17 }, { header: m.duration, share: 0.2, align: 'right' }, { header: m.cause, share: 0.26 }],
    report.incidents.map((i) => [i.name, f.dateTime(i.from), i.ongoing ? m.ongoing : f.dateTime(i.to), f.duration(i.durationMs, 'up'), incidentCause(i, lang)]),
  );

  rd.heading(m.backups);
  if (report.backups.length === 0) rd.note(m.noBackups);
  else rd.table(
    [{ header: m.host, share: 0.13 }, { header: m.check, share: 0.17 }, { header: m.lastBackup, share: 0.32 }, { header: m.lastAge, share: 0.13, align: 'right' }, { header: m.lastSize, share: 0.1, align: 'right' }, { header: m.runs, share: 0.15, align: 'right' }],
    report.backups.map((x) => [x.host, x.check, `${x.lastStatus} · ${renderResultMessage(x.lastCode, x.lastParams, lang, x.lastMessage)} (${f.dateTime(x.lastAt)})`,
      x.ageS === null ? na : f.duration(x.ageS * 1000, 'up'), x.sizeBytes === null ? na : f.bytes(x.sizeBytes), `${x.counts.OK} / ${x.counts.WARN} / ${x.counts.CRIT}`]),
  );
  rd.heading(m.patches);
  if (report.patches.length === 0) rd.note(m.noPatches);
  else rd.table(
    [{ header: m.host, share: 0.2 }, { header: m.check, share: 0.24 }, { header: m.pending, share: 0.2, align: 'right' }, { header: m.security, share: 0.18, align: 'right' }, { header: m.reboot, share: 0.18 }],
    report.patches.map((p) => [p.host, p.check, p.pending === null ? na : String(p.pending), p.security === null ? na : String(p.security), p.rebootRequired === null ? na : p.rebootRequired ? m.yes : m.no]),
  );
  rd.heading(m.securityTitle);
  if (report.security.length === 0) rd.note(m.noSecurity);
  else {
    const sec = securityRows(report.security, lang, f, m);
    rd.note(m.securityIntro);
    rd.note(m.securityNow);
    rd.table([{ header: m.host, share: 0.16 }, { header: m.check, share: 0.18 }, { header: m.finding, share: 0.48 }, { header: m.runs, share: 0.18, align: 'right' }], sec.now);
    rd.note(`${m.securityFindings} (${sec.findings.length})`);
    if (sec.findings.length === 0) rd.note(m.noSecurityFindings);
    else rd.table([{ header: m.host, share: 0.14 }, { header: m.check, share: 0.16 }, { header: m.finding, share: 0.4 }, { header: m.noticed, share: 0.15 }, { header: m.fixed, share: 0.15 }], sec.findings);
    for (const n of sec.notes) rd.note(n);
  }
  rd.doc.moveDown(1);
  rd.note(m.footer);
  return { pdf: await rd.finish(), chart };
}
