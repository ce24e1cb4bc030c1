import type { ClientInfo } from '@nines/shared';
import { api } from '../api.ts';
import { el, time } from '../dom.ts';
import { t } from '../i18n.ts';
import { trapTab } from '../focus.ts';

/** How many months the report picker offers: this month and the eleven before, what a yearly review needs. */
const REPORT_MONTHS = 12;

/** The months to offer, newest first, from the current month in the client's zone ("2026-06"). */
export function recentMonths(current: string, count: number): string[] {
  const [y, m] = current.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const total = y * 12 + (m - 1) - i;
    return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
  });
}

interface PreviewRecipient { recipientId: number; name: string; address: string; language: string; copy: boolean; subject: string; sentAt: number | null }
interface ReportPreview { mailer: boolean; recipients: PreviewRecipient[] }
interface SendOutcome { recipientId: number; address: string; status: 'sent' | 'already' | 'failed'; error?: string }

/**
 * A client's monthly reports: download (HTML/PDF, de/en) for everyone who may see the client; for the consultant a
 * preview of who gets the mail and whether it went out, and "send again". Sending mails the client, so it is two
 * steps: the button shows the recipients with a confirmation, and only the confirmation sends. The outcome is shown
 * per recipient (a refused mail with the server's reason), then the preview's "sent" times are read again.
 */
export function reportSection(client: ClientInfo, currentMonth: string, isAdmin: boolean): HTMLElement {
  const month = el('select', { id: 'report-month', 'aria-label': t('report.month') }, ...recentMonths(currentMonth, REPORT_MONTHS).map((m) => el('option', { value: m }, m)));
  const links = el('span', { class: 'inline' });
  const draw = () => links.replaceChildren(...(['de', 'en'] as const).map((lang) =>
    el('a', {
      class: 'button', 'data-lang': lang, download: `nines-${client.name}-${month.value}-${lang}.html`,
      href: `/api/v1/reports/monthly?client=${client.id}&month=${month.value}&lang=${lang}`,
    }, t('client.download', lang === 'de' ? 'Deutsch' : 'English'))).concat((['de', 'en'] as const).map((lang) =>
    el('a', {
      class: 'button', 'data-pdf-lang': lang, download: `nines-${client.name}-${month.value}-${lang}.pdf`,
      href: `/api/v1/reports/monthly?client=${client.id}&month=${month.value}&lang=${lang}&format=pdf`,
    }, t('report.pdf', lang === 'de' ? 'Deutsch' : 'English')))));
  draw();
  const title = el('h2', {}, t('client.reports'));
  const yearly = yearlyLinks(client, Number(currentMonth.slice(0, 4)));
  if (!isAdmin) {
    month.addEventListener('change', draw);
    return el('section', { class: 'card', id: 'reports' }, title, el('div', { class: 'inline' }, month, links), yearly);
  }

  const preview = el('ul', { id: 'report-preview' });
  // A modal <dialog>: the browser keeps Tab inside it, Escape closes it, and focus goes back to "send" after.
  const confirm = el('dialog', { id: 'report-confirm', class: 'confirm', 'aria-labelledby': 'report-confirm-text' });
  const closeConfirm = () => {
    if (confirm.open) confirm.close();
  };
  trapTab(confirm);
  confirm.addEventListener('close', () => {
    if (sendButton.isConnected) sendButton.focus();
  });
  const outcome = el('p', { class: 'outcome', role: 'status', id: 'report-outcome' });
  const say = (kind: 'ok' | 'error' | '', text: string) => ((outcome.className = `outcome ${kind}`.trim()), (outcome.textContent = text));
  const fail = (error: Error) => say('error', error.message);

  const showPreview = (data: ReportPreview, sends: SendOutcome[] = []) =>
    preview.replaceChildren(...(data.recipients.length === 0 ? [el('li', { class: 'muted' }, t('report.none'))] : data.recipients.map((r) => {
      const sent = sends.find((s) => s.recipientId === r.recipientId);
      return el('li', { 'data-address': r.address, ...(sent ? { 'data-send': sent.status } : {}) },
        `${r.name} <${r.address}>${r.copy ? ` (${t('report.copy')})` : ''} · ${r.subject} · `,
        sent?.status === 'failed'
          ? el('span', { class: 'bad' }, t('report.failed', sent.error ?? ''))
          : el('span', { class: r.sentAt === null ? 'muted' : 'good' }, r.sentAt === null ? t('report.notSent') : t('report.sent', time(r.sentAt))));
    })));
  const load = () => api<ReportPreview>('GET', `/api/v1/reports/${client.id}/${month.value}/preview`);

  const previewButton = el('button', { type: 'button', id: 'report-preview-button' }, t('report.preview'));
  previewButton.addEventListener('click', () => {
    say('', '');
    closeConfirm();
    load().then((data) => showPreview(data), fail);
  });

  const sendButton = el('button', { type: 'button', id: 'report-send-button' }, t('report.send'));
  sendButton.addEventListener('click', () => {
    say('', '');
    load().then((data) => {
      showPreview(data);
      if (!data.mailer) return say('error', t('report.noMailer'));
      if (data.recipients.length === 0) return say('error', t('report.none'));
      const yes = el('button', { type: 'button', id: 'report-send-confirm', class: 'primary' }, t('report.sendNow', data.recipients.length));
      const no = el('button', { type: 'button', id: 'report-send-cancel' }, t('report.cancel'));
      no.addEventListener('click', closeConfirm);
      yes.addEventListener('click', () => {
        yes.disabled = true;
        const period = month.value;
        api<{ sends: SendOutcome[] }>('POST', `/api/v1/reports/${client.id}/${period}/send`)
          .then(async ({ sends }) => {
            closeConfirm();
            const failed = sends.filter((s) => s.status === 'failed').length;
            say(failed ? 'error' : 'ok', failed ? t('report.sendFailed', failed, sends.length) : t('report.sentAll', sends.length));
            if (month.value === period) showPreview(await load(), sends);
          })
          .catch((error: Error) => ((yes.disabled = false), fail(error)));
      });
      confirm.replaceChildren(el('span', { id: 'report-confirm-text' }, t('report.confirm', month.value)), el('div', { class: 'inline' }, yes, no));
      if (!confirm.open) confirm.showModal();
      // The harmless choice first: Enter on a key pressed once too often must not mail the client.
      no.focus();
    }, fail);
  });

  // Another month: what was shown belonged to the old one.
  month.addEventListener('change', () => {
    draw();
    preview.replaceChildren();
    closeConfirm();
    say('', '');
  });
  return el('section', { class: 'card', id: 'reports' }, title,
    el('div', { class: 'inline' }, month, links, previewButton, sendButton), confirm, outcome, preview, yearly);
}

/** The yearly summary (each month against the target) as PDF, for this year so far and the year before. */
function yearlyLinks(client: ClientInfo, currentYear: number): HTMLElement {
  const year = el('select', { id: 'report-year', 'aria-label': t('report.year') }, ...[currentYear, currentYear - 1].map((y) => el('option', { value: String(y) }, String(y))));
  const links = el('span', { class: 'inline' });
  const draw = () => links.replaceChildren(...(['de', 'en'] as const).map((lang) =>
    el('a', {
      class: 'button', 'data-year-lang': lang, download: `nines-${client.name}-${year.value}-${lang}.pdf`,
      href: `/api/v1/reports/yearly?client=${client.id}&year=${year.value}&lang=${lang}`,
    }, t('report.yearPdf', lang === 'de' ? 'Deutsch' : 'English'))));
  year.addEventListener('change', draw);
  draw();
  return el('div', { class: 'inline', id: 'report-yearly' }, el('span', {}, t('report.yearly')), year, links);
}
