import { Counter, Gauge, Registry } from 'prom-client';
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
export function createGatewayMetrics(reports: () => AdapterReport[]): GatewayMetrics {
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
  return { registry };
}
