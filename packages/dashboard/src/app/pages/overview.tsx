import { api } from '../api.js';
import { useNow, usePoll } from '../hooks.js';
import { duration } from '../format.js';
import { t } from '../i18n.js';
import type { AdaptersAnswer } from '../types.js';
import { Sparkline } from '../components/sparkline.js';
import { StatusBadge } from '../components/status-badge.js';
import { AdapterPeersCell, AdapterStatusCell, RetryCountdown } from '../components/adapter-live.js';
import { recordTraffic, trafficRates } from '../traffic.js';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function OverviewPage() {
  // One clock for the page: retry countdowns and peer ages move every second, between the 2 s polls.
  const now = useNow(1000);
  const { data, error } = usePoll(async () => {
    const answer = await api<AdaptersAnswer>('/api/adapters');
    recordTraffic(answer);
    return answer;
  }, 2000);
  if (!data) return <p class={error ? 'error' : 'muted'}>{error ?? t('Loading…')}</p>;
  const { backend, adapters, gateway } = data;
  const upstream = backend.status.upstream as
    | { url?: string; state?: string; connected?: boolean; lastError?: string; nextRetryAt?: unknown }
    | undefined;
  const eventRates = trafficRates('events');
  const actionRates = trafficRates('actions');
  const last = (values: number[]) =>
    values.length ? (values[values.length - 1] as number).toFixed(1) : '0.0';

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('Overview')}</h1>
      <div class="grid">
        <div class="card" data-testid="backend-card">
          <h2>{t('Backend')}</h2>
          <dl>
            <dt>{t('Type')}</dt>
            <dd>{backend.type}</dd>
            <dt>self_id</dt>
            <dd>{String(backend.selfId ?? '-')}</dd>
            <dt>{t('Online')}</dt>
            <dd>
              <StatusBadge status={backend.status.online === false ? 'offline' : 'online'} />
            </dd>
            {upstream?.url && (
              <>
                <dt>{t('Upstream')}</dt>
                <dd data-testid="upstream">
                  {upstream.url} ·{' '}
                  <StatusBadge
                    status={upstream.state ?? (upstream.connected ? 'connected' : 'not connected')}
                  />
                  {typeof upstream.nextRetryAt === 'string' && upstream.connected !== true && (
                    <RetryCountdown at={upstream.nextRetryAt} now={now} />
                  )}
                </dd>
              </>
            )}
            {(upstream?.lastError ?? backend.status.lastError) && (
              <>
                <dt>{t('Last error')}</dt>
                <dd class="error">{String(upstream?.lastError ?? backend.status.lastError)}</dd>
              </>
            )}
          </dl>
        </div>
        <div class="card">
          <h2>{t('Gateway')}</h2>
          <dl>
            <dt>{t('Version')}</dt>
            <dd>{gateway?.version ?? '-'}</dd>
            <dt>{t('Uptime')}</dt>
            <dd>{gateway ? duration(gateway.uptimeSeconds) : '-'}</dd>
            <dt>{t('Memory')}</dt>
            <dd>
              {gateway
                ? `${megabytes(gateway.memory.rss)} (heap ${megabytes(gateway.memory.heapUsed)})`
                : '-'}
            </dd>
          </dl>
        </div>
        <div class="card">
          <h2>{t('Traffic')}</h2>
          <p>
            {t('Events published/s')}: <strong data-testid="events-rate">{last(eventRates)}</strong>
          </p>
          <p class="muted small">
            {t('Each event from the backend counts once, however many adapters send it on.')}
          </p>
          <Sparkline values={eventRates} label={t('Events published per second, last 5 minutes')} />
          <p>
            {t('Actions/s')}: <strong data-testid="actions-rate">{last(actionRates)}</strong>
          </p>
          <Sparkline values={actionRates} label={t('Actions per second, last 5 minutes')} />
        </div>
      </div>
      <h2>{t('Adapters')}</h2>
      <div class="table-wrap">
        <table data-testid="adapters" class="stack-on-phone">
          <thead>
            <tr>
              <th scope="col">{t('Name')}</th>
              <th scope="col">{t('Kind')}</th>
              <th scope="col">{t('Status')}</th>
              <th scope="col">{t('Address')}</th>
              <th scope="col">{t('Connections')}</th>
              <th scope="col">{t('Events sent')}</th>
              <th scope="col">{t('Actions handled')}</th>
              <th scope="col">{t('Errors')}</th>
            </tr>
          </thead>
          <tbody>
            {adapters.map((adapter) => (
              <tr key={adapter.name} data-adapter={adapter.name}>
                <th scope="row">{adapter.name}</th>
                <td data-label={t('Kind')}>{adapter.kind}</td>
                <td data-label={t('Status')}>
                  <AdapterStatusCell report={adapter} now={now} />
                </td>
                <td data-label={t('Address')}>
                  <span class="mono">{adapter.address ?? adapter.url ?? '-'}</span>
                </td>
                <td data-label={t('Connections')}>
                  <AdapterPeersCell report={adapter} now={now} />
                </td>
                <td data-label={t('Events sent')}>{adapter.eventsSent}</td>
                <td data-label={t('Actions handled')}>{adapter.actionsHandled}</td>
                <td data-label={t('Errors')}>{adapter.errors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
