import { api } from './api.js';
import type { AdaptersAnswer } from './types.js';

interface Sample {
  at: number;
  events: number;
  actions: number;
}

// Kept across page changes; 150 samples at 2 s = the last 5 minutes.
const samples: Sample[] = [];
const MAX_SAMPLES = 150;
const answerListeners = new Set<(answer: AdaptersAnswer) => void>();

/** Adds one sample of the counters (and tells the listeners, such as the top bar's backend type). */
export function recordTraffic(answer: AdaptersAnswer): void {
  for (const listener of answerListeners) listener(answer);
  // The page's own poll and the background sampler may land together: one sample per second at most.
  const newest = samples[samples.length - 1];
  if (newest && Date.now() - newest.at < 1000) return;
  // Events the backend published, counted once by the gateway: the adapters' eventsSent would count
  // one event delivered to three adapters three times.
  const events = answer.gateway?.eventsPublished ?? 0;
  // The dashboard's own action console counts too: its calls reach the router like an adapter's.
  const actions =
    answer.adapters.reduce((total, adapter) => total + adapter.actionsHandled, 0) +
    (answer.admin?.actionsHandled ?? 0);
  samples.push({ at: Date.now(), events, actions });
  if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
}

/** Every `/api/adapters` answer from now on; returns the unsubscribe. */
export function onAdaptersAnswer(listener: (answer: AdaptersAnswer) => void): () => void {
  answerListeners.add(listener);
  return () => answerListeners.delete(listener);
}

let sampler: ReturnType<typeof setInterval> | undefined;

function sample(): void {
  api<AdaptersAnswer>('/api/adapters').then(recordTraffic, () => undefined);
}

/** Samples the counters every 2 s from login on, so the overview's charts cover time spent on other pages. */
export function startTrafficSampler(): void {
  if (sampler !== undefined) return;
  sample();
  sampler = setInterval(sample, 2000);
}

/** On logout and on a refused token: a tab on the login page sends nothing in the background. */
export function stopTrafficSampler(): void {
  clearInterval(sampler);
  sampler = undefined;
}

/** Per-second rates between consecutive samples (a counter that went down, after a reload, counts as 0). */
export function trafficRates(key: 'events' | 'actions'): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1] as Sample;
    const after = samples[i] as Sample;
    const seconds = Math.max(0.001, (after.at - before.at) / 1000);
    out.push(Math.max(0, (after[key] - before[key]) / seconds));
  }
  return out;
}
