import { t } from '../i18n.js';

const TONES: Record<string, string> = {
  running: 'ok',
  online: 'ok',
  connected: 'ok',
  failed: 'bad',
  offline: 'bad',
  disabled: 'off',
  stopped: 'off',
  'not connected': 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge ${TONES[status] ?? 'warn'}`} data-status={status}>
      {t(status)}
    </span>
  );
}
