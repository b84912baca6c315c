import pino from 'pino';
import { createLogTap, type LogTap } from './log-tap.js';

/** Keys that could carry a secret, wherever they sit in a log object. */
const redactPaths = [
  'token',
  '*.token',
  '*.*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/** The tap of each logger made by createGatewayLogger (children share their parent's destination). */
const taps = new WeakMap<object, LogTap>();

/** The line tap behind a logger made by `createGatewayLogger`; undefined for any other logger. */
export function logTapOf(logger: object): LogTap | undefined {
  return taps.get(logger);
}

/**
 * A destination that writes every line to `inner` and hands it to `tap`
 * (the admin API's `/api/logs`). pino only needs `write`; the line is the
 * serialised, redacted JSON, so the tap never sees more than the log does.
 */
function tapped(inner: { write(line: string): unknown }, tap: LogTap): { write(line: string): void } {
  return {
    write(line) {
      inner.write(line);
      tap.write(line);
    },
  };
}

/**
 * The gateway's logger: readable lines in a terminal, one JSON object per
 * line otherwise (for log shippers). Both write synchronously, so the last
 * lines before an exit are never lost.
 */
export async function createGatewayLogger(
  options: { level?: string; pretty?: boolean } = {},
): Promise<pino.Logger> {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const base = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '***' },
    base: undefined,
  };
  const tap = createLogTap();
  let logger: pino.Logger;
  if (usePretty) {
    // Loaded only for a terminal: it is the slowest module to import and JSON output never needs it.
    const { default: pretty } = await import('pino-pretty');
    // pino-pretty takes the JSON lines and prints them readable; the tap gets the JSON.
    const readable = pretty({
      colorize: true,
      sync: true,
      translateTime: 'HH:MM:ss.l',
      ignore: 'pid,hostname',
    });
    logger = pino(base, tapped(readable, tap));
  } else {
    logger = pino(base, tapped(pino.destination({ fd: 1, sync: true }), tap));
  }
  taps.set(logger, tap);
  return logger;
}
