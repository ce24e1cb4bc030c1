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
  const words = catalogs[notice.language].technical;
  const links: NoticeLink[] = [];
  if (notice.acknowledgeUrl) links.push({ label: words.ack, url: notice.acknowledgeUrl });
  if (notice.dashboardUrl) links.push({ label: words.open, url: notice.dashboardUrl });
  return links;
}
