import { Counter, Gauge, Registry } from 'prom-client';
import type { AccountSendLimitStatus } from '@onebot-gateway/core';
import type { AdapterReport } from '../adapter-supervisor.js';

export interface GatewayMetrics {
  registry: Registry;
}

type NumericField = 'eventsSent' | 'actionsHandled' | 'errors';

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
  const labelNames = ['adapter', 'kind'] as const;

  function counter(name: string, help: string, field: NumericField): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const report of reports()) this.inc({ adapter: report.name, kind: report.kind }, report[field]);
      },
    });
  }
  counter(
    'onebot_gateway_events_sent_total',
    'Events delivered to bot frameworks, per adapter.',
    'eventsSent',
  );
  counter('onebot_gateway_actions_handled_total', 'Actions answered, per adapter.', 'actionsHandled');
  counter('onebot_gateway_errors_total', 'Errors seen, per adapter.', 'errors');

  new Gauge({
    name: 'onebot_gateway_connections',
    help: 'Open connections (servers) or 1/0 for a connected client, per adapter.',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const report of reports())
        this.set({ adapter: report.name, kind: report.kind }, report.connections);
    },
  });
  new Gauge({
    name: 'onebot_gateway_adapter_up',
    help: '1 when the adapter is running, 0 when it failed or is disabled.',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const report of reports())
        this.set({ adapter: report.name, kind: report.kind }, report.status === 'running' ? 1 : 0);
    },
  });
  registerRateLimitMetrics(registry, rateLimits);
  return { registry };
}

type RateLimitField = 'queued' | 'queuedBytes' | 'waitMs' | 'calls' | 'waited' | 'refused';

/** The send rate limit (gateway.rateLimit, and `_rate_limited` calls while it is off), per account. */
function registerRateLimitMetrics(registry: Registry, rateLimits: () => AccountSendLimitStatus[]): void {
  const labelNames = ['self_id'] as const;
  const valueOf = (status: AccountSendLimitStatus, field: RateLimitField) =>
    field === 'waitMs' ? status.waitMs / 1000 : status[field];
  function gauge(name: string, help: string, field: RateLimitField): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const status of rateLimits()) this.set({ self_id: status.selfId }, valueOf(status, field));
      },
    });
  }
  function counter(name: string, help: string, field: RateLimitField): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const status of rateLimits()) this.inc({ self_id: status.selfId }, valueOf(status, field));
      },
    });
  }
  gauge('onebot_gateway_rate_limit_queue_length', 'Calls waiting for the send rate limit.', 'queued');
  gauge(
    'onebot_gateway_rate_limit_queue_bytes',
    'Bytes of params (as JSON) of the calls waiting for the send rate limit.',
    'queuedBytes',
  );
  gauge(
    'onebot_gateway_rate_limit_wait_seconds',
    'How long a limited call made now would wait for its turn.',
    'waitMs',
  );
  counter('onebot_gateway_rate_limit_calls_total', 'Calls that went through the send rate limit.', 'calls');
  counter(
    'onebot_gateway_rate_limit_waited_total',
    'Calls that had to wait for the send rate limit.',
    'waited',
  );
  counter(
    'onebot_gateway_rate_limit_refused_total',
    'Calls refused with 1429 because the send rate limit queue was full.',
    'refused',
  );
}
