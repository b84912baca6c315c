import { Registry } from 'prom-client';
import type { AccountSendLimitStatus } from '@onebot-gateway/core';
import type { AdapterReport } from '../adapter-supervisor.js';
import { scrapedMetrics } from './metrics-scraped.js';

export interface GatewayMetrics {
  registry: Registry;
}

/**
 * Prometheus metrics read from the adapters' own counters at scrape time, in
 * a private registry so embedding the gateway never pollutes the global one.
 * A restarted adapter starts counting from zero again, which Prometheus
 * treats as a counter reset.
 */
export function createGatewayMetrics(
  reports: () => AdapterReport[],
  rateLimits: () => AccountSendLimitStatus[] = () => [],
): GatewayMetrics {
  const registry = new Registry();
  const { counter, gauge } = scrapedMetrics(registry, reports, ['adapter', 'kind'], (report) => ({
    adapter: report.name,
    kind: report.kind,
  }));
  counter(
    'onebot_gateway_events_sent_total',
    'Events delivered to bot frameworks, per adapter.',
    (report) => report.eventsSent,
  );
  counter(
    'onebot_gateway_actions_handled_total',
    'Actions answered, per adapter.',
    (report) => report.actionsHandled,
  );
  counter('onebot_gateway_errors_total', 'Errors seen, per adapter.', (report) => report.errors);
  gauge(
    'onebot_gateway_connections',
    'Open connections (servers) or 1/0 for a connected client, per adapter.',
    (report) => report.connections,
  );
  gauge(
    'onebot_gateway_adapter_up',
    '1 when the adapter is running, 0 when it failed or is disabled.',
    (report) => (report.status === 'running' ? 1 : 0),
  );
  registerRateLimitMetrics(registry, rateLimits);
  return { registry };
}

/** The send rate limit (gateway.rateLimit, and `_rate_limited` calls while it is off), per account. */
function registerRateLimitMetrics(registry: Registry, rateLimits: () => AccountSendLimitStatus[]): void {
  const { counter, gauge } = scrapedMetrics(registry, rateLimits, ['self_id'], (status) => ({
    self_id: status.selfId,
  }));
  gauge(
    'onebot_gateway_rate_limit_queue_length',
    'Calls waiting for the send rate limit.',
    (status) => status.queued,
  );
  gauge(
    'onebot_gateway_rate_limit_queue_bytes',
    'Bytes of params (as JSON) of the calls waiting for the send rate limit.',
    (status) => status.queuedBytes,
  );
  gauge(
    'onebot_gateway_rate_limit_wait_seconds',
    'How long a limited call made now would wait for its turn.',
    (status) => status.waitMs / 1000,
  );
  counter(
    'onebot_gateway_rate_limit_calls_total',
    'Calls that went through the send rate limit.',
    (status) => status.calls,
  );
  counter(
    'onebot_gateway_rate_limit_waited_total',
    'Calls that had to wait for the send rate limit.',
    (status) => status.waited,
  );
  counter(
    'onebot_gateway_rate_limit_refused_total',
    'Calls refused with 1429 because the send rate limit queue was full.',
    (status) => status.refused,
  );
}
