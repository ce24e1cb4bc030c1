import type { Notice } from './channel.ts';
import { catalogs } from '../templates/render.ts';

/** The words for the acknowledge and dashboard links in the notice's language, the same the alert mail uses. */
export function linkLabels(notice: Pick<Notice, 'language'>): { acknowledge: string; open: string } {
  const catalog = catalogs[notice.language];
  return { acknowledge: catalog.technical.ack, open: catalog.technical.open };
}
