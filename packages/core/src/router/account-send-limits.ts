import type { RateLimitConfig } from '../config/types.js';
import { OneBotError } from '../errors.js';
import {
  createSendLimiter,
  type SendLimiter,
  type SendLimiterOptions,
  type SendLimiterRefusal,
  type SendLimiterSettings,
  type SendLimiterStatus,
} from './send-limiter.js';

export interface AccountSendLimitStatus extends SendLimiterStatus {
  /** The account (self_id) this bucket is for. */
  selfId: string;
  /** `gateway.rateLimit.enable`; when false only `_rate_limited` calls wait (at the legacy pace). */
  enabled: boolean;
}

export interface AccountSendLimitsOptions extends SendLimiterOptions {
  /** The `_rate_limited` pace and bounds while `gateway.rateLimit` is off. */
  legacy: SendLimiterSettings;
  config?: RateLimitConfig | undefined;
  accountOf?: (() => number | string) | undefined;
}

/**
 * The send limiters of every account the router has sent as, one bucket per
 * account. While `gateway.rateLimit` is off, the same limiter paces only the
 * `_rate_limited` calls at the legacy pace, so switching it on or off never
 * loses or reorders a waiting call.
 */
export interface AccountSendLimits {
  /** Whether a plain or `_async` call of `action` takes a token (never while off). */
  covers(action: string): boolean;
  /** Take a place in the current account's line: ready now, later, or an error to answer with. */
  admit(bytes: () => number): { ready: Promise<void> | undefined } | { error: OneBotError };
  configure(config: RateLimitConfig | undefined): void;
  status(): AccountSendLimitStatus[];
  /** Fail every waiting call with `error` and answer later calls that would wait with it too. */
  close(error: OneBotError): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * What a refused caller reads. While off, the `_rate_limited` wording of
 * before is kept word for word (clients and tests match on it).
 */
export function sendRefusalMessage(refusal: SendLimiterRefusal, enabled: boolean): string {
  const { settings, queued, queuedBytes, bytes } = refusal;
  if (refusal.reason === 'closed') return 'the gateway is stopping: this call was not sent';
  if (!enabled) {
    return refusal.reason === 'count'
      ? `the _rate_limited queue is full (${settings.maxQueue} calls waiting); retry later`
      : `the _rate_limited queue is full (${queuedBytes} bytes of params waiting, this call adds ${bytes}, the limit is ${settings.maxQueueBytes}); retry later or send a smaller call`;
  }
  const next = `next in ~${seconds(refusal.nextInMs)}`;
  const calls = `${queued} ${queued === 1 ? 'call' : 'calls'} queued`;
  return refusal.reason === 'count'
    ? `rate limit: ${calls}, ${next} (gateway.rateLimit.maxQueue is ${settings.maxQueue}; a call now would wait ~${seconds(refusal.waitMs)}); retry later`
    : `rate limit: ${calls} with ${queuedBytes} bytes of params, ${next}; this call adds ${bytes} bytes and gateway.rateLimit.maxQueueBytes is ${settings.maxQueueBytes}; retry later or send a smaller call`;
}

function settingsOf(config: RateLimitConfig): SendLimiterSettings {
  const { frequency, bucket, maxQueue, maxQueueBytes } = config;
  return { frequency, bucket, maxQueue, maxQueueBytes };
}

export function createAccountSendLimits(options: AccountSendLimitsOptions): AccountSendLimits {
  const limiters = new Map<string, SendLimiter>();
  let enabled = false;
  let everyAction = false;
  let actions = new Set<string>();
  let settings = options.legacy;
  let lastAccount = '0';
  let closedWith: OneBotError | undefined;

  function apply(config: RateLimitConfig | undefined): void {
    const wasEnabled = enabled;
    enabled = config?.enable === true;
    actions = new Set(config?.actions ?? []);
    everyAction = actions.has('*');
    settings = enabled && config ? settingsOf(config) : options.legacy;
    for (const limiter of limiters.values()) {
      // Switched off: what waited for the account's bucket goes now, in order.
      if (wasEnabled && !enabled) limiter.releaseAll();
      limiter.configure(settings);
    }
  }
  apply(options.config);

  function currentAccount(): string {
    try {
      if (options.accountOf) lastAccount = String(options.accountOf());
    } catch {
      // A backend that cannot say who it is keeps the account it had.
    }
    return lastAccount;
  }

  function limiterFor(account: string): SendLimiter {
    let limiter = limiters.get(account);
    if (limiter) return limiter;
    // An idle limiter is as good as a new one: dropping it keeps the map as small as the accounts in use.
    for (const [key, other] of limiters) if (other.idle()) limiters.delete(key);
    limiter = createSendLimiter(settings, options);
    if (closedWith) limiter.close(closedWith);
    limiters.set(account, limiter);
    return limiter;
  }

  return {
    covers: (action) => enabled && (everyAction || actions.has(action)),
    admit(bytes) {
      const admission = limiterFor(currentAccount()).admit(bytes);
      if (admission.ok) return { ready: admission.ready };
      const message = sendRefusalMessage(admission.refusal, enabled);
      if (admission.refusal.reason === 'closed')
        return { error: closedWith ?? new OneBotError('BACKEND_UNAVAILABLE', message) };
      const { queued, waitMs } = admission.refusal;
      return { error: new OneBotError('RATE_LIMITED', message, { details: { queued, waitMs } }) };
    },
    configure: apply,
    status() {
      limiterFor(currentAccount());
      return [...limiters].map(([selfId, limiter]) => ({ selfId, enabled, ...limiter.status() }));
    },
    close(error) {
      closedWith ??= error;
      for (const limiter of limiters.values()) limiter.close(closedWith);
    },
  };
}
