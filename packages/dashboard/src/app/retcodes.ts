import { t } from './i18n.js';

/** OneBot 11 retcodes as docs/protocol.md section 3 defines them. */
export function explainRetcode(retcode: number): string {
  switch (retcode) {
    case 0:
      return t('0: ok');
    case 1:
      return t('1: accepted, runs in the background (async)');
    case 100:
      return t('100: the action ran and failed (bad target, not found, not permitted)');
    case 1400:
      return t('1400: malformed request (missing or invalid parameter)');
    case 1401:
    case 1403:
      return t('{code}: missing or wrong token', { code: retcode });
    case 1404:
      return t('1404: unknown action');
    case 1429:
      return t('1429: rate or size limit hit; retry later');
    case 1500:
      return t('1500: internal error (a bug, logged with its stack)');
    default:
      return t('{code}: not a standard retcode', { code: retcode });
  }
}
