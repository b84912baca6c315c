import { redactUrl, type Logger } from '@onebot-gateway/core';
import { DEBUG_TEXT_LIMIT, redactDebugText } from '@onebot-gateway/core/internal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * `debug: true` logs every request and response of this adapter at info
 * level. The flag and the token are read per request so a reload switches
 * them in place. Never a header (that is where tokens live); URLs and bodies
 * are redacted like WebSocket frames: `access_token` values in any encoding
 * and the configured token wherever it appears, bodies cut at 16 KiB.
 * Logging happens where requests are guarded and answers are sent rather
 * than in extra fastify hooks, which would cost every request even with
 * debug off.
 */
export interface DebugLog {
  enabled(): boolean;
  request(request: FastifyRequest): void;
  /** The action a request was turned into (parameters from query and body). */
  action(action: unknown): void;
  response(reply: FastifyReply, body: string): void;
}

const debugLogs = new WeakMap<object, DebugLog>();

/** The redacted action back as an object, so a JSON log keeps its shape; the text when it is not JSON. */
function asJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function bodyText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[unserialisable]';
  }
}

/** `current()` is the entry in force: its `debug` switches logging, its `token` is redacted. */
export function createDebugLog(logger: Logger, current: () => { debug: boolean; token: string }): DebugLog {
  const currentToken = (): string => current().token;
  return {
    enabled: () => current().debug,
    request(request) {
      logger.info(
        { method: request.method, url: redactUrl(request.url, currentToken()), remote: request.ip },
        'http request',
      );
    },
    action(action) {
      const text = bodyText(action);
      const shown = redactDebugText(text, currentToken());
      logger.info({ request: text.length <= DEBUG_TEXT_LIMIT ? asJson(shown) : shown }, 'http action');
    },
    response(reply, body) {
      const { request } = reply;
      const token = currentToken();
      logger.info(
        {
          method: request.method,
          url: redactUrl(request.url, token),
          status: reply.statusCode,
          body: redactDebugText(body, token),
        },
        'http response',
      );
    },
  };
}

/** Make `log` the debug log of every reply sent by `app`. */
export function attachDebugLog(app: FastifyInstance, log: DebugLog): void {
  debugLogs.set(app, log);
}

/** The debug log of the app that sends `reply`, when debug is on. */
export function activeDebugLog(reply: FastifyReply): DebugLog | undefined {
  const log = debugLogs.get(reply.server);
  return log?.enabled() ? log : undefined;
}
