import { useEffect, useRef, useState } from 'preact/hooks';
import { openStream, type StreamMessage } from './api.js';

/** The clock, re-read every `intervalMs`: for countdowns and ages that move between polls. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Calls `load` now and every `intervalMs`; the last answer or error. */
export function usePoll<T>(
  load: () => Promise<T>,
  intervalMs: number,
): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const run = () =>
      loadRef.current().then(
        (data) => live && setState({ data }),
        (error: unknown) => live && setState((old) => ({ ...old, error: (error as Error).message })),
      );
    void run();
    const timer = setInterval(run, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [intervalMs, tick]);
  return { ...state, reload: () => setTick((value) => value + 1) };
}

/**
 * A Server-Sent Events stream for the life of the component; messages are
 * handed over once per animation frame, so a burst of 1,000 events per second
 * is a handful of renders, not a thousand.
 */
export function useStream(path: string, onBatch: (messages: StreamMessage[]) => void, enabled = true): void {
  const batchRef = useRef(onBatch);
  batchRef.current = onBatch;
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let pending: StreamMessage[] = [];
    let scheduled = false;
    openStream(
      path,
      (message) => {
        pending.push(message);
        if (scheduled) return;
        scheduled = true;
        requestAnimationFrame(() => {
          scheduled = false;
          const batch = pending;
          pending = [];
          if (!controller.signal.aborted) batchRef.current(batch);
        });
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [path, enabled]);
}
