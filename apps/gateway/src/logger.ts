import pino from 'pino';
import pretty from 'pino-pretty';

/** Keys that could carry a secret, wherever they sit in a log object. */
const redactPaths = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'];

/**
 * The gateway's logger: readable lines in a terminal, one JSON object per
 * line otherwise (for log shippers). Both write synchronously, so the last
 * lines before an exit are never lost.
 */
export function createGatewayLogger(options: { level?: string; pretty?: boolean } = {}): pino.Logger {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const base = { level: options.level ?? 'info', redact: { paths: redactPaths, censor: '***' }, base: undefined };
  if (usePretty) {
    return pino(base, pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(base, pino.destination({ fd: 1, sync: true }));
}
