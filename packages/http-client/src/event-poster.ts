import { Pool } from './undici-pool.js';
import { ATTEMPT_DEADLINE_CODE, createAttemptDeadlines } from './attempt-deadlines.js';
import { dispatchPost } from './post-handler.js';

/** Why one POST attempt did not deliver its event. */
export type FailureReason =
  'timeout' | 'connection' | 'server_error' | 'rejected' | 'redirect' | 'bad_response' | 'stopped';

export type AttemptResult =
  | { ok: true; status: number; reply: string | undefined }
  | { ok: false; retryable: boolean; reason: FailureReason; detail: string };

export interface EventPoster {
  /**
   * One POST of `body`; never rejects. `timeoutMs` bounds the whole attempt,
   * from sending the request to the last byte of the answer, whatever the
   * endpoint sends meanwhile (1xx answers, a body dripping in).
   */
  post(body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult>;
  /** Let in-flight requests finish, then close the pooled connections. */
  close(): Promise<void>;
  /** Abort in-flight requests (they resolve as `stopped`) and close the connections now. */
  destroy(): Promise<void>;
}

export { MAX_REPLY_BYTES } from './post-handler.js';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', ATTEMPT_DEADLINE_CODE]);
const STOPPED_CODES = new Set(['UND_ERR_DESTROYED', 'UND_ERR_CLOSED']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

function classifyError(error: unknown): AttemptResult {
  const code = errorCode(error) ?? '';
  if (TIMEOUT_CODES.has(code)) {
    // Not retried: the endpoint may have received and handled the event, and
    // retrying a hanging endpoint would hold a slot for several timeouts.
    return {
      ok: false,
      retryable: false,
      reason: 'timeout',
      detail: `no complete answer within the timeout (${code === ATTEMPT_DEADLINE_CODE ? (error as Error).message : describeError(error)})`,
    };
  }
  if (STOPPED_CODES.has(code)) {
    return {
      ok: false,
      retryable: false,
      reason: 'stopped',
      detail: 'the adapter stopped while the request was in flight',
    };
  }
  if (
    (error as Error | null)?.name === 'HTTPParserError' ||
    code.startsWith('HPE_') ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ||
    code === 'UND_ERR_INFO'
  ) {
    return {
      ok: false,
      retryable: false,
      reason: 'bad_response',
      detail: `the endpoint did not answer valid HTTP (${describeError(error)})`,
    };
  }
  // Refused, reset, closed mid-request, DNS, connect timeout: the event most
  // likely never reached the bot, so it is safe and useful to try again.
  return { ok: false, retryable: true, reason: 'connection', detail: describeError(error) };
}

/**
 * POSTs pre-encoded event bodies to one URL over a keep-alive pool of at most
 * `connections` sockets. Redirects are not followed (undici's default): a 3xx
 * is reported as `redirect` so the user fixes the URL. Besides undici's own
 * timeouts (connect, headers, body), every attempt has one overall deadline
 * (see attempt-deadlines.ts): no AbortController or timer per request,
 * which the throughput benchmark showed to matter.
 */
export function createEventPoster(
  target: URL,
  options: { connections: number; connectTimeoutMs: number },
): EventPoster {
  const pool = new Pool(target.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.connectTimeoutMs },
  });
  const path = `${target.pathname}${target.search}`;
  const deadlines = createAttemptDeadlines();

  async function post(
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<AttemptResult> {
    const deadline = deadlines.begin(timeoutMs);
    try {
      const { status, reply, location } = await dispatchPost(
        pool,
        {
          origin: target.origin,
          path,
          method: 'POST',
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        timeoutMs,
        deadline,
      );
      if (status >= 200 && status < 300) return { ok: true, status, reply };
      if (status >= 500)
        return {
          ok: false,
          retryable: true,
          reason: 'server_error',
          detail: `the endpoint answered HTTP ${status}`,
        };
      if (status >= 300 && status < 400) {
        return {
          ok: false,
          retryable: false,
          reason: 'redirect',
          detail: `the endpoint answered HTTP ${status} to ${location ?? '(no location)'}; redirects are not followed, put the final URL in "url"`,
        };
      }
      return {
        ok: false,
        retryable: false,
        reason: 'rejected',
        detail: `the endpoint answered HTTP ${status}`,
      };
    } catch (error) {
      return classifyError(deadline.aborted ? deadline.reason : error);
    } finally {
      deadline.finish();
    }
  }

  return {
    post,
    close: () => pool.close().finally(() => deadlines.clear()),
    destroy: () => pool.destroy().finally(() => deadlines.clear()),
  };
}
