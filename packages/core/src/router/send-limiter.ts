import { MAX_TIMER_MS } from '../config/fields.js';
import { Fifo } from '../fifo.js';

/** How fast one account may send: go-cqhttp's `rate-limit` token bucket, plus bounds on who may wait. */
export interface SendLimiterSettings {
  /** Tokens added per second (go-cqhttp `frequency`; 0.5 = one call every 2 s). > 0. */
  frequency: number;
  /** Tokens the bucket holds, so calls that may leave at once after a quiet time (go-cqhttp `bucket`). >= 1. */
  bucket: number;
  /** Calls that may wait; past it a call is refused at once. >= 0. */
  maxQueue: number;
  /** Bytes (of params, as JSON) that may wait; past it a call is refused at once. */
  maxQueueBytes: number;
}

/** Why a call was refused at once, with what the answer should tell its caller. */
export interface SendLimiterRefusal {
  /** `count`: `maxQueue` calls wait already; `bytes`: this call would pass `maxQueueBytes`; `closed`: stopping. */
  reason: 'count' | 'bytes' | 'closed';
  queued: number;
  queuedBytes: number;
  /** This call's bytes (0 for `count` and `closed`). */
  bytes: number;
  settings: SendLimiterSettings;
  /** Until the first waiting call leaves and frees a place. */
  nextInMs: number;
  /** How long a call admitted now would wait. */
  waitMs: number;
}

export type SendAdmission =
  | {
      ok: true;
      /** Undefined: the call may go now. Else resolves when it may go; rejects with `closeError` on close. */
      ready: Promise<void> | undefined;
    }
  | { ok: false; refusal: SendLimiterRefusal };

export interface SendLimiterStatus {
  frequency: number;
  bucket: number;
  /** Tokens in the bucket now (fractional while refilling). */
  tokens: number;
  /** Calls waiting now, and the bytes of their params. */
  queued: number;
  queuedBytes: number;
  /** Calls admitted since start, how many of them had to wait, and calls refused (1429). */
  calls: number;
  waited: number;
  refused: number;
  /** How long a call admitted now would wait, ms (0 when one may go at once). */
  waitMs: number;
}

export interface SendLimiter {
  /**
   * Take a place in line. Decided at once, in call order: that order is the
   * order calls leave in, whichever adapter they came through. `bytes` is only
   * read when the call has to wait.
   */
  admit(bytes: () => number): SendAdmission;
  /** New rate and bounds, in place: waiting calls keep their order and leave at the new rate. */
  configure(settings: SendLimiterSettings): void;
  /** Let every waiting call go now, in order (rate limiting switched off). */
  releaseAll(): void;
  /** Fail every waiting call with `error`, stop the timer; later calls go only if a token is there. Idempotent. */
  close(error: Error): void;
  status(): SendLimiterStatus;
  /** Nothing waits and the bucket is full: the limiter is as good as new and can be dropped. */
  idle(): boolean;
}

export interface SendLimiterOptions {
  /** Monotonic milliseconds; tests pass a fake clock. Default `performance.now`. */
  now?: () => number;
}

interface Waiting {
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A timer firing on the very millisecond can see 0.9999999 of a token. */
const EPSILON = 1e-9;

/**
 * A token bucket with a FIFO in front of it (golang.org/x/time/rate's
 * Limiter with `Wait`, which go-cqhttp uses): `bucket` calls may leave at
 * once, then one per `1000 / frequency` ms. Unlike `Wait` the line is
 * bounded in calls and bytes, so a flood answers 1429 instead of holding
 * memory, and every waiting call is answered when the limiter closes.
 */
export function createSendLimiter(
  initial: SendLimiterSettings,
  options: SendLimiterOptions = {},
): SendLimiter {
  const now = options.now ?? (() => performance.now());
  let settings = initial;
  let intervalMs = 1000 / settings.frequency;
  let tokens = settings.bucket;
  let refilledAt = now();
  const line = new Fifo<Waiting>();
  let queuedBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let closedWith: Error | undefined;
  let calls = 0;
  let waited = 0;
  let refused = 0;

  const queued = () => line.size;

  function refill(): void {
    const at = now();
    if (at > refilledAt) tokens = Math.min(settings.bucket, tokens + (at - refilledAt) / intervalMs);
    refilledAt = at;
  }

  /** Ms until `position` more tokens are there (position 1 = the next waiting call). */
  function msUntilTokens(position: number): number {
    return Math.max(0, (position - tokens) * intervalMs);
  }

  function takeHead(): Waiting {
    const next = line.shift()!;
    queuedBytes -= next.bytes;
    return next;
  }

  function stopTimer(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
  }

  /** Let go every waiting call a token is there for, then sleep until the next one's token. */
  function pump(): void {
    stopTimer();
    refill();
    while (queued() > 0 && tokens >= 1 - EPSILON) {
      tokens = Math.max(0, tokens - 1);
      takeHead().resolve();
    }
    if (queued() === 0) return;
    // Never 0 (a busy loop on rounding) and never past Node's timer limit (it would fire at once).
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(msUntilTokens(1) - EPSILON)));
    timer = setTimeout(pump, delay);
    // The line must not keep a process alive that is otherwise done.
    timer.unref();
  }

  function refusal(reason: SendLimiterRefusal['reason'], bytes: number): SendAdmission {
    // A call refused because the gateway is stopping is not a sign of sending too fast.
    if (reason !== 'closed') refused += 1;
    return {
      ok: false,
      refusal: {
        reason,
        queued: queued(),
        queuedBytes,
        bytes,
        settings,
        nextInMs: queued() > 0 ? msUntilTokens(1) : 0,
        waitMs: msUntilTokens(queued() + 1),
      },
    };
  }

  return {
    admit(bytesOf) {
      refill();
      // Anyone already waiting goes first, even when a token has just come back.
      if (queued() === 0 && tokens >= 1 - EPSILON) {
        tokens = Math.max(0, tokens - 1);
        calls += 1;
        return { ok: true, ready: undefined };
      }
      // Closed: a call may still go when its token is there, but nothing waits any more.
      if (closedWith) return refusal('closed', 0);
      if (queued() >= settings.maxQueue) return refusal('count', 0);
      const bytes = bytesOf();
      if (queuedBytes + bytes > settings.maxQueueBytes) return refusal('bytes', bytes);
      calls += 1;
      waited += 1;
      queuedBytes += bytes;
      const ready = new Promise<void>((resolve, reject) => line.push({ bytes, resolve, reject }));
      if (queued() === 1) pump();
      return { ok: true, ready };
    },
    configure(next) {
      // Tokens earned so far are earned at the old rate.
      refill();
      settings = next;
      intervalMs = 1000 / next.frequency;
      tokens = Math.min(tokens, next.bucket);
      if (!closedWith && queued() > 0) pump();
    },
    releaseAll() {
      stopTimer();
      while (queued() > 0) takeHead().resolve();
    },
    close(error) {
      if (closedWith) return;
      closedWith = error;
      stopTimer();
      while (queued() > 0) takeHead().reject(error);
    },
    status() {
      refill();
      return {
        frequency: settings.frequency,
        bucket: settings.bucket,
        tokens,
        queued: queued(),
        queuedBytes,
        calls,
        waited,
        refused,
        waitMs: queued() === 0 && tokens >= 1 - EPSILON ? 0 : msUntilTokens(queued() + 1),
      };
    },
    idle() {
      refill();
      return queued() === 0 && tokens >= settings.bucket - EPSILON;
    },
  };
}
