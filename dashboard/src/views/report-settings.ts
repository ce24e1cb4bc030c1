import { api } from '../api.ts';
import { checkbox, field } from '../form.ts';
import { el, time } from '../dom.ts';
import { t } from '../i18n.ts';

type Source = 'stored' | 'yaml' | 'default';

export interface ReportSettingsPart {
  part: 'monthly' | 'yearly' | 'weekly' | 'branding';
  source: Source;
  nextRunAt?: number | null;
  effective: Record<string, unknown>;
  updatedAt: number | null;
}

export interface ReportSettingsInfo {
  parts: ReportSettingsPart[];
}

/** The PDF prints the logo 40 mm wide; the collector refuses more than this (shared LOGO_MAX_BYTES). */
const LOGO_MAX_BYTES = 512 * 1024;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

function fileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file cannot be read'));
    reader.readAsDataURL(file);
  });
}

/**
 * Report settings (admins): when the monthly, yearly and weekly reports go out and how the PDFs are branded. A part
 * saved here replaces the config file's part of that name (reports: in the YAML) until "Use the config file" is
 * pressed; each part shows where it comes from and when it runs next.
 */
export function reportSettingsSection(info: ReportSettingsInfo, refresh: () => Promise<void>): HTMLElement {
  const outcome = el('p', { class: 'outcome', role: 'status', id: 'rs-outcome' });
  const fail = (error: Error) => ((outcome.className = 'outcome error'), (outcome.textContent = error.message));
  const part = (name: ReportSettingsPart['part']) => info.parts.find((p) => p.part === name)!;
  const str = (p: ReportSettingsPart, key: string) => String(p.effective[key] ?? '');

  const block = (name: ReportSettingsPart['part'], fields: HTMLElement[], read: () => Promise<Record<string, unknown>>) => {
    const p = part(name);
    const form = el('form', { class: 'inline', id: `rs-${name}` }, ...fields, el('button', { type: 'submit' }, t('rs.save')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      outcome.textContent = '';
      read().then((body) => api('PUT', `/api/v1/report-settings/${name}`, body)).then(refresh, fail);
    });
    const reset = p.source === 'stored'
      ? el('button', { type: 'button', id: `rs-${name}-reset`, onclick: () => void api('DELETE', `/api/v1/report-settings/${name}`).then(refresh, fail) }, t('rs.useFile'))
      : null;
    const next = p.nextRunAt === undefined ? null
      : el('p', { class: 'muted', 'data-next-run': p.nextRunAt === null ? '' : String(p.nextRunAt) }, `${t('col.nextRun')}: ${p.nextRunAt === null ? t('rs.off') : time(p.nextRunAt)}`);
    return el('div', { class: 'rs-part', 'data-part': name, 'data-source': p.source },
      el('h3', {}, t(`rs.${name}`), el('small', {}, ` (${t(`rs.from.${p.source}`)})`)), next, form, reset);
  };

  const m = part('monthly');
  const mEnabled = checkbox('rs-monthly-enabled', t('rs.enabled'), m.effective.enabled !== false);
  const mDay = el('input', { id: 'rs-monthly-day', type: 'number', min: '1', max: '28', value: str(m, 'day') });
  const mAt = el('input', { id: 'rs-monthly-at', type: 'time', value: str(m, 'at'), required: true });
  const mCopy = checkbox('rs-monthly-copy', t('rs.copy'), m.effective.copyToConsultant !== false);
  const monthly = block('monthly', [mEnabled.node, field('rs-monthly-day', t('rs.day'), mDay), field('rs-monthly-at', t('rs.at'), mAt), mCopy.node],
    async () => ({ enabled: mEnabled.input.checked, day: Number(mDay.value), at: mAt.value, copyToConsultant: mCopy.input.checked }));

  const y = part('yearly');
  const yEnabled = checkbox('rs-yearly-enabled', t('rs.enabled'), y.effective.enabled !== false);
  const yAt = el('input', { id: 'rs-yearly-at', type: 'time', value: str(y, 'at'), required: true });
  const yearly = block('yearly', [yEnabled.node, field('rs-yearly-at', t('rs.at'), yAt)], async () => ({ enabled: yEnabled.input.checked, at: yAt.value }));

  const w = part('weekly');
  const wEnabled = checkbox('rs-weekly-enabled', t('rs.enabled'), w.effective.enabled !== false);
  const wDay = el('select', { id: 'rs-weekly-weekday' }, ...WEEKDAYS.map((d) => el('option', { value: d }, t(`rs.wd.${d}`))));
  wDay.value = str(w, 'weekday');
  const wAt = el('input', { id: 'rs-weekly-at', type: 'time', value: str(w, 'at'), required: true });
  const wZone = el('input', { id: 'rs-weekly-zone', value: str(w, 'timezone'), required: true });
  const wLang = el('select', { id: 'rs-weekly-lang' }, el('option', { value: 'de' }, 'Deutsch'), el('option', { value: 'en' }, 'English'));
  wLang.value = str(w, 'language');
  const weekly = block('weekly', [wEnabled.node, field('rs-weekly-weekday', t('rs.weekday'), wDay), field('rs-weekly-at', t('rs.at'), wAt),
    field('rs-weekly-zone', t('col.zone'), wZone), field('rs-weekly-lang', t('col.language'), wLang)],
  async () => ({ enabled: wEnabled.input.checked, weekday: wDay.value, at: wAt.value, timezone: wZone.value, language: wLang.value }));

  const b = part('branding');
  const logo = b.effective.logo as { contentType: string; bytes: number } | null;
  const bName = el('input', { id: 'rs-brand-name', value: str(b, 'name'), maxlength: '120' });
  const bContact = el('textarea', { id: 'rs-brand-contact', rows: '3', maxlength: '500' }, str(b, 'contact'));
  const bFooter = el('input', { id: 'rs-brand-footer', value: str(b, 'footer'), maxlength: '300' });
  const bLogo = el('input', { id: 'rs-brand-logo', type: 'file', accept: 'image/png,image/jpeg' });
  const bNoLogo = checkbox('rs-brand-nologo', t('rs.noLogo'), false);
  const logoNow = el('small', { id: 'rs-brand-logo-now' }, logo ? t('rs.logoSaved', logo.contentType, Math.ceil(logo.bytes / 1024)) : b.effective.logoFile ? String(b.effective.logoFile) : t('rs.noLogoYet'));
  const branding = block('branding', [field('rs-brand-name', t('col.name'), bName), field('rs-brand-contact', t('rs.contact'), bContact),
    field('rs-brand-footer', t('rs.footer'), bFooter), field('rs-brand-logo', t('rs.logo'), bLogo), logoNow, bNoLogo.node],
  async () => {
    const file = bLogo.files?.[0];
    let logoBody: unknown = bNoLogo.input.checked ? null : logo ? 'keep' : undefined;
    if (file && !bNoLogo.input.checked) {
      // Checked here too, so a wrong file is named before it is sent; the collector checks the bytes again.
      if (file.type !== 'image/png' && file.type !== 'image/jpeg') throw new Error(t('rs.logoType'));
      if (file.size > LOGO_MAX_BYTES) throw new Error(t('rs.logoSize', Math.ceil(file.size / 1024), LOGO_MAX_BYTES / 1024));
      logoBody = { contentType: file.type, data: await fileAsBase64(file) };
    }
    const text = (v: string) => (v.trim() === '' ? undefined : v);
    return { name: text(bName.value), contact: text(bContact.value), footer: text(bFooter.value), ...(logoBody === undefined ? {} : { logo: logoBody }) };
  });

  return el('section', { class: 'card', id: 'admin-reports' }, el('h2', {}, t('rs.title')), el('p', { class: 'muted' }, t('rs.hint')),
    monthly, yearly, weekly, branding, outcome);
}
