import { useNow } from '../hooks.js';
import { t } from '../i18n.js';
import { duration, secondsSince, secondsUntil } from '../format.js';
import type { AdapterPeer, AdapterReport } from '../types.js';
import { StatusBadge } from './status-badge.js';

/**
 * The state a person reads: a client that is up but between attempts (it has a
 * next retry and no connection) is `connecting`, not `running`.
 */
export function shownStatus(report: AdapterReport): string {
  if (report.status === 'running' && report.nextRetryAt !== undefined && report.connections === 0)
    return 'connecting';
  return report.status;
}

/** Seconds to a reconnect attempt due at the ISO time `at`, moving with `now`; nothing for a time that does not parse. */
export function RetryCountdown({ at, now }: { at: string; now: number }) {
  const wait = secondsUntil(at, now);
  if (wait === undefined) return null;
  return (
    <div class="small muted" data-testid="retry-countdown" role="timer">
      {wait > 0 ? t('next retry in {seconds} s', { seconds: wait }) : t('retrying now')}
    </div>
  );
}

/** A countdown with its own one-second clock, for a place that has none (a Network card). */
export function TickingRetryCountdown({ at }: { at: string }) {
  return <RetryCountdown at={at} now={useNow(1000)} />;
}

/** The status badge, with the countdown to the next attempt of a client waiting to reconnect. */
export function AdapterStatusCell({ report, now }: { report: AdapterReport; now: number }) {
  const status = shownStatus(report);
  return (
    <>
      <StatusBadge status={status} />
      {status === 'connecting' && report.nextRetryAt !== undefined && (
        <RetryCountdown at={report.nextRetryAt} now={now} />
      )}
      {report.lastError && <div class="error small">{report.lastError}</div>}
    </>
  );
}

/** How many peers are shown in the row; the rest open in place. */
const SHOWN_PEERS = 3;

function PeerItem({ peer, now }: { peer: AdapterPeer; now: number }) {
  const age = secondsSince(peer.since, now);
  return (
    <li data-peer={peer.remote}>
      <span class="mono">{peer.remote}</span> <span class="tag">{peer.role}</span>{' '}
      {age !== undefined && (
        <span class="muted small" title={new Date(peer.since).toLocaleString()}>
          {t('for {age}', { age: duration(age) })}
        </span>
      )}
    </li>
  );
}

/** The connection count and, when the adapter lists them, who is connected (remote, role, since when). */
export function AdapterPeersCell({ report, now }: { report: AdapterReport; now: number }) {
  const peers = report.peers ?? [];
  if (peers.length === 0) return <>{report.connections}</>;
  const rest = peers.slice(SHOWN_PEERS);
  const unlisted = Math.max(0, report.connections - peers.length);
  return (
    <div class="peers">
      <span>{report.connections}</span>
      <ul class="peer-list" aria-label={t('Connected peers of {name}', { name: report.name })}>
        {peers.slice(0, SHOWN_PEERS).map((peer) => (
          <PeerItem key={`${peer.remote} ${peer.since}`} peer={peer} now={now} />
        ))}
      </ul>
      {rest.length > 0 && (
        <details>
          <summary>{t('{count} more', { count: rest.length })}</summary>
          <ul class="peer-list">
            {rest.map((peer) => (
              <PeerItem key={`${peer.remote} ${peer.since}`} peer={peer} now={now} />
            ))}
          </ul>
        </details>
      )}
      {unlisted > 0 && <div class="muted small">{t('{count} more not listed', { count: unlisted })}</div>}
    </div>
  );
}
