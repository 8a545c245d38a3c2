import type { I18n } from './index';

/** The code the widget itself uses for a file whose bytes did not survive a reload. */
export const FILE_LOST = 'file.lost';

/**
 * Why a file was refused, in the customer's language: the server's error code picks the words
 * (its own message is English, written for developers as much as customers); an unknown code
 * falls back to the server's message. The size limit is a tenant setting the server names only in
 * its message ("larger than 10 MB"), so it is read from there when present.
 */
export function fileRefusalText(i18n: I18n, code: string | undefined, message: string): string {
  switch (code) {
    case 'document.type_refused':
      return i18n.t('fileRefused_type');
    case 'document.type_mismatch':
      return i18n.t('fileRefused_mismatch');
    case 'document.too_large': {
      const limit = /(\d+(?:\.\d+)?)\s*MB/.exec(message)?.[1];
      return limit ? i18n.t('fileRefused_sizeLimit', { limit }) : i18n.t('fileRefused_size');
    }
    case 'document.too_many':
      return i18n.t('fileRefused_count');
    case 'document.infected':
      return i18n.t('fileRefused_infected');
    case FILE_LOST:
      return i18n.t('fileRefused_lost');
    default:
      return message;
  }
}
