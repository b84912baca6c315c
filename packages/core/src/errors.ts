/**
 * The one error registry. Every error the gateway raises on purpose has a
 * code from here; the code decides the OneBot retcode and the HTTP status.
 */
export const errorRegistry = {
  /** The action ran and failed: bad target, not found, not permitted. */
  ACTION_FAILED: { retcode: 100, httpStatus: 200 },
  /** The request could not be understood: bad JSON, bad shape, bad params. */
  BAD_REQUEST: { retcode: 1400, httpStatus: 400 },
  UNAUTHORIZED: { retcode: 1401, httpStatus: 401 },
  FORBIDDEN: { retcode: 1403, httpStatus: 403 },
  UNKNOWN_ACTION: { retcode: 1404, httpStatus: 404 },
  RATE_LIMITED: { retcode: 1429, httpStatus: 429 },
  PAYLOAD_TOO_LARGE: { retcode: 1429, httpStatus: 413 },
  /** A bug: logged with its stack. */
  INTERNAL: { retcode: 1500, httpStatus: 500 },
  /** The configuration file or an adapter entry is invalid. */
  CONFIG_INVALID: { retcode: 1400, httpStatus: 400 },
  /** An adapter could not start (port in use, bad URL, ...). */
  ADAPTER_START_FAILED: { retcode: 1500, httpStatus: 500 },
  /** The backend (upstream implementation) is unreachable or timed out. */
  BACKEND_UNAVAILABLE: { retcode: 100, httpStatus: 200 },
  /** A plugin could not be found, loaded or set up. */
  PLUGIN_LOAD_FAILED: { retcode: 1500, httpStatus: 500 },
} as const satisfies Record<string, { retcode: number; httpStatus: number }>;

export type ErrorCode = keyof typeof errorRegistry;

export interface OneBotErrorOptions {
  cause?: unknown;
  /** Extra machine-readable detail (never a token). */
  details?: Record<string, unknown>;
}

export class OneBotError extends Error {
  override readonly name = 'OneBotError';
  readonly code: ErrorCode;
  readonly retcode: number;
  readonly httpStatus: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: OneBotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retcode = errorRegistry[code].retcode;
    this.httpStatus = errorRegistry[code].httpStatus;
    this.details = options.details;
  }
}

/** Shorthand for an expected action failure (retcode 100). */
export function actionFailed(message: string, options?: OneBotErrorOptions): OneBotError {
  return new OneBotError('ACTION_FAILED', message, options);
}

export function isOneBotError(value: unknown): value is OneBotError {
  return value instanceof OneBotError;
}

const statusByRetcode = new Map<number, number>([
  [0, 200],
  [1, 200],
  [100, 200],
  [1400, 400],
  [1401, 401],
  [1403, 403],
  [1404, 404],
  [1429, 429],
  [1500, 500],
]);

/** The HTTP status that goes with a retcode on the HTTP API (protocol.md section 3). */
export function httpStatusForRetcode(retcode: number): number {
  return statusByRetcode.get(retcode) ?? (retcode >= 1000 ? 500 : 200);
}
