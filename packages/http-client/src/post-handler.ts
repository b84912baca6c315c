import type { Dispatcher } from 'undici';
import type { AttemptDeadline } from './attempt-deadlines.js';

/** A quick operation is a small object; a bigger reply is not read (it would only cost memory). */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** What one POST got back; `reply` is undefined for a 204, a non-2xx status or a reply too big to read. */
export interface RawReply {
  status: number;
  reply: string | undefined;
  /** The `location` header of a 3xx, for the error message. */
  location: string | undefined;
}

/** What a reply that is still arriving when its request's time is up throws; classified as a timeout. */
function replyTooSlow(timeoutMs: number): Error {
  return Object.assign(new Error(`the answer's body was still arriving ${timeoutMs} ms after its headers`), {
    code: 'UND_ERR_BODY_TIMEOUT',
  });
}

/** Why the handler ended a request it no longer needs (never reported: the reply was already settled). */
const NOT_READ = Object.assign(new Error('reply not read'), { code: 'UND_ERR_ABORTED' });

function headerValue(rawHeaders: Buffer[], lowerName: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === lowerName.length && name.toString('latin1').toLowerCase() === lowerName)
      return rawHeaders[i + 1]!.toString('latin1');
  }
  return undefined;
}

/**
 * One POST through undici's dispatcher interface rather than `request()`: no
 * Readable, AsyncResource or parsed header object per request (the
 * throughput benchmark showed them, and a per-request `signal`, to cost
 * ~20 %). The attempt's deadline aborts it through the `abort` undici hands
 * over at connect time, so 1xx answers cannot keep it alive; a body still
 * dripping in `timeoutMs` after its headers is cut at its next chunk.
 */
export function dispatchPost(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  timeoutMs: number,
  deadline: AttemptDeadline,
): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    let settled = false;
    let abort: ((error?: Error) => void) | undefined;
    let status = 0;
    let location: string | undefined;
    let keepBody = false;
    let declaredLength = 0;
    let bodyDeadline = 0;
    let chunks: Buffer[] = [];
    let length = 0;

    const settle = (reply: RawReply): void => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    /** The reply is decided before its body is done: stop reading it (undici closes that socket). */
    const settleAndStop = (reply: RawReply): void => {
      settle(reply);
      abort?.(NOT_READ);
    };

    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        abort = abortRequest;
        if (deadline.aborted) abortRequest(deadline.reason);
        else deadline.addEventListener('abort', () => abortRequest(deadline.reason));
      },
      onHeaders(statusCode, rawHeaders) {
        if (statusCode < 200) return true; // 1xx: the deadline still runs.
        status = statusCode;
        keepBody = statusCode >= 200 && statusCode < 300 && statusCode !== 204;
        if (statusCode >= 300 && statusCode < 400) location = headerValue(rawHeaders, 'location');
        if (keepBody) {
          declaredLength = Number(headerValue(rawHeaders, 'content-length') ?? 0);
          if (declaredLength > MAX_REPLY_BYTES) settleAndStop({ status, reply: undefined, location });
          bodyDeadline = Date.now() + timeoutMs;
        }
        return true;
      },
      onData(chunk) {
        if (settled) return true;
        length += chunk.length;
        if (length > MAX_REPLY_BYTES) {
          chunks = [];
          settleAndStop({ status, reply: undefined, location });
          return true;
        }
        if (keepBody) chunks.push(chunk);
        const complete = declaredLength > 0 && length >= declaredLength;
        if (!complete && Date.now() > bodyDeadline && keepBody) {
          fail(replyTooSlow(timeoutMs));
          abort?.(NOT_READ);
        }
        return true;
      },
      onComplete() {
        const reply = !keepBody
          ? undefined
          : length === 0
            ? ''
            : Buffer.concat(chunks, length).toString('utf8');
        settle({ status, reply, location });
      },
      onError(error) {
        fail(error);
      },
    };
    dispatcher.dispatch(options, handler);
  });
}
