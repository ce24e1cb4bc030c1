/** The yearly summary as a one-page A4 PDF: a bar per month against the target and a table of the months. */
import type { YearlyReport } from '../yearly.ts';
import { Formatter } from '../format.ts';
import { MESSAGES, type Lang } from '../messages.ts';
import type { LoadedBranding } from './branding.ts';
import { ReportDocument } from './layout.ts';
import { drawBarChart } from './chart.ts';
import { targetPercentOf, type RenderedPdf } from './monthly-pdf.ts';

export async function renderYearlyPdf(report: YearlyReport, lang: Lang, branding: LoadedBranding): Promise<RenderedPdf> {
  const m = MESSAGES[lang];
  const f = new Formatter(lang, report.client.timeZone);
  const na = m.notAvailable;
  const rd = await ReportDocument.create(branding, (page, of) => m.page.replace('{0}', String(page)).replace('{1}', String(of)), {
    title: `${m.yearTitle} · ${report.client.name} · ${report.year}`, createdAt: report.generatedAt, lang,
  });
  const fig = report.figure;
  rd.title(`${m.yearTitle}: ${report.client.name}`, `${m.year} ${report.year} · ${m.timeZone}: ${report.client.timeZone} · ${m.generated}: ${f.dateTime(report.generatedAt)}`);
  const verdict = (x: YearlyReport['figure']) => x.met === null ? m.noDataShort : x.met ? (x.running ? m.metSoFar : m.met) : (x.running ? m.notMetSoFar : m.notMet);
  rd.keyValues([
    { label: m.achieved, value: f.percent(fig.availabilityPercent) ?? m.noDataShort },
    { label: m.target, value: targetPercentOf(f, report.client.targetPpm) ?? na },
    { label: m.verdict, value: verdict(fig) },
    { label: m.downtime, value: f.duration(fig.downMs, 'up') },
  ]);
  const monthName = (at: number) => new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: report.client.timeZone, month: 'short' }).format(at);
  rd.heading(m.monthlyChart);
  const chart = drawBarChart(rd, report.months.map((x) => ({
    label: monthName(x.figure.window.from), percent: x.figure.availabilityPercent === null ? null : Number(x.figure.availabilityPercent), met: x.figure.met,
  })), report.client.targetPpm, f, m);
  rd.table(
    [{ header: m.month, share: 0.2 }, { header: m.availability, share: 0.16, align: 'right' }, { header: m.downtime, share: 0.2, align: 'right' },
      { header: m.budget, share: 0.24, align: 'right' }, { header: m.verdict, share: 0.2 }],
    report.months.map((x) => [f.monthTitle(x.figure.window.from), f.percent(x.figure.availabilityPercent) ?? na, f.duration(x.figure.downMs, 'up'),
      f.duration(x.figure.budget.windowBudgetMs, 'down'), verdict(x.figure)]),
  );
  rd.note(m.footer);
  return { pdf: await rd.finish(), chart };
}
