import { Counter, Gauge, type LabelValues, type Registry } from 'prom-client';

/** Adds one metric whose value per item is `valueOf(item)`. */
export type ScrapedMetricBuilder<T> = (name: string, help: string, valueOf: (item: T) => number) => void;

/**
 * Builders for metrics that hold no state of their own: at every scrape each
 * one resets and reads its value from the current items (adapter reports,
 * rate limit accounts), one sample per item labelled by `labelsOf`.
 */
export function scrapedMetrics<T, Label extends string>(
  registry: Registry,
  items: () => readonly T[],
  labelNames: readonly Label[],
  labelsOf: (item: T) => LabelValues<Label>,
): { counter: ScrapedMetricBuilder<T>; gauge: ScrapedMetricBuilder<T> } {
  return {
    counter(name, help, valueOf) {
      new Counter({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const item of items()) this.inc(labelsOf(item), valueOf(item));
        },
      });
    },
    gauge(name, help, valueOf) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const item of items()) this.set(labelsOf(item), valueOf(item));
        },
      });
    },
  };
}
