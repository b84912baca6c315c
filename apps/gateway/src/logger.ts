import pino from 'pino';

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
  if (usePretty) {
    // Loaded only for a terminal: it is the slowest module to import and JSON output never needs it.
    const { default: pretty } = await import('pino-pretty');
    return pino(
      base,
      pretty({ colorize: true, sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return pino(base, pino.destination({ fd: 1, sync: true }));
}
