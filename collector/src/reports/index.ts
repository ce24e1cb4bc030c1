/** Monthly availability reports per client: `monthlyReport` gathers the figures, `renderMonthlyReport` writes HTML (de/en). */
export { monthlyReport, type MonthlyReport, type BackupSummary, type PatchSummary } from './monthly.ts';
export { renderMonthlyReport } from './html.ts';
export { isLang, type Lang } from './messages.ts';
export { renderMonthlyPdf, type RenderedPdf } from './pdf/monthly-pdf.ts';
export { loadBranding, BrandingError, type LoadedBranding } from './pdf/branding.ts';
