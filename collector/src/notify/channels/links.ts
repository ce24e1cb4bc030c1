import { catalogs } from '../templates/render.ts';
import type { Notice } from './channel.ts';

/** A button or action a chat/push service shows under the message. */
export interface NoticeLink {
  label: string;
  url: string;
}

/**
 * The notice's links as buttons, acknowledge first (the thing to do), then the dashboard; labelled in the contact
 * point's language with the same words as the alert mail, so every channel names them alike.
 */
export function noticeLinks(notice: Notice): NoticeLink[] {
  const labels = linkLabels(notice);
  const links: NoticeLink[] = [];
  if (notice.acknowledgeUrl) links.push({ label: labels.acknowledge, url: notice.acknowledgeUrl });
  if (notice.dashboardUrl) links.push({ label: labels.open, url: notice.dashboardUrl });
  return links;
}

/** The words for the acknowledge and dashboard links in the notice's language, the same the alert mail uses. */
export function linkLabels(notice: Pick<Notice, 'language'>): { acknowledge: string; open: string } {
  const catalog = catalogs[notice.language];
  return { acknowledge: catalog.technical.ack, open: catalog.technical.open };
}

/** The links as text lines ("Bestätigen: https://…"), for services that show plain text and link URLs themselves. */
export function linkLines(notice: Notice): string[] {
  return noticeLinks(notice).map((link) => `${link.label}: ${link.url}`);
}
