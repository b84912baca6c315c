import type { Logger } from '@onebot-gateway/core';
import { redactSecrets, type createAdapterCounters } from '@onebot-gateway/core/internal';

/** Policy violation: what a bot framework closes with when it refuses a client, most often its token. */
export const POLICY_VIOLATION = 1008;

export interface NotesContext {
  logger: Logger;
  counters: ReturnType<typeof createAdapterCounters>;
  /** The URL as it may be logged (token redacted). */
  url(): string;
  reconnectInterval(): number;
  attempts(): number;
}

/**
 * What the log says about connecting, kept quiet on repeats: the first
 * failure of a kind is a warning, its repeats every reconnectInterval go to
 * debug; the same for a server that accepts and then refuses (1008).
 */
export interface ConnectionNotes {
  /** An attempt failed before the connection opened. */
  failed(detail: string): void;
  /** The connection opened. */
  connected(): void;
  /** The server closed an open connection with 1008; `why` is its reason (or ''), already redacted. */
  refused(why: string): void;
  /** An open connection ended another way. */
  disconnected(code: number, reason: Buffer): void;
  /** The first frame or pong from the server: after refusals, it shows the server kept this connection. */
  accepted(): void;
  /** A socket error; the first one of an attempt says why it failed. Returns the line to log. */
  socketError(error: Error): string;
  /** The server answered the upgrade with an HTTP response instead of switching protocols. */
  httpAnswer(statusCode: number | undefined): void;
  /** The current socket closed: a refusal, a disconnect, or a failed attempt. */
  closed(opened: boolean, code: number, reason: Buffer, token: string): void;
}

export function createConnectionNotes(context: NotesContext): ConnectionNotes {
  const { logger, counters } = context;
  let failuresInARow = 0;
  let lastFailure = '';
  /**
   * Connections in a row the server accepted and then closed with 1008. The
   * first is a warning with a hint; the repeats (and their `connected` lines)
   * go to debug until a connection proves accepted (a frame or pong from the
   * server) or ends another way.
   */
  let refusalsInARow = 0;
  /** Why the current attempt failed, kept until its 'close' reports it. */
  let attemptError: string | undefined;

  const notes: ConnectionNotes = {
    failed(detail) {
      failuresInARow += 1;
      counters.recordError(new Error(detail));
      const url = context.url();
      // One warn per kind of failure; repeats of the same failure every reconnectInterval go to debug.
      if (failuresInARow === 1 || detail !== lastFailure) {
        logger.warn(
          { url, attempt: context.attempts() },
          `could not connect to ${url}: ${detail}; retrying every ${context.reconnectInterval()} ms`,
        );
      } else {
        logger.debug({ url, attempt: context.attempts(), failuresInARow }, `still cannot connect: ${detail}`);
      }
      lastFailure = detail;
    },
    connected() {
      const url = context.url();
      if (refusalsInARow > 0)
        logger.debug({ url, refusalsInARow }, `connected to ${url} (after a 1008 refusal)`);
      else if (failuresInARow > 0)
        logger.info(
          { failedAttempts: failuresInARow },
          `connected to ${url} after ${failuresInARow} failed attempts`,
        );
      else logger.info({ url }, `connected to ${url}`);
      failuresInARow = 0;
      lastFailure = '';
    },
    refused(why) {
      refusalsInARow += 1;
      const url = context.url();
      const detail = `${url} accepted the connection, then closed it with 1008 (policy violation${why})`;
      counters.recordError(new Error(detail));
      if (refusalsInARow === 1) {
        logger.warn(
          { url, code: POLICY_VIOLATION },
          `${detail}: the server refuses this client, most likely its token; check "token" (it must match the ` +
            `server's access token). Retrying every ${context.reconnectInterval()} ms; repeats are logged at debug`,
        );
      } else {
        logger.debug({ url, code: POLICY_VIOLATION, refusalsInARow }, `refused again: ${detail}`);
      }
    },
    disconnected(code, reason) {
      refusalsInARow = 0;
      const url = context.url();
      const why = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
      logger.warn(
        { code, url },
        `disconnected from ${url} (code ${code}${why}); reconnecting in about ${context.reconnectInterval()} ms`,
      );
    },
    accepted() {
      if (refusalsInARow === 0) return;
      const url = context.url();
      logger.info(
        { url, refusals: refusalsInARow },
        `connected to ${url}: the server accepts this client after ${refusalsInARow} refusals (1008)`,
      );
      refusalsInARow = 0;
    },
    socketError(error) {
      const code = (error as { code?: string }).code;
      const detail =
        code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
      // The first error of an attempt says why (an HTTP 401 is followed by a generic abort error).
      attemptError ??= detail;
      return detail;
    },
    httpAnswer(statusCode) {
      const hint = statusCode === 401 || statusCode === 403 ? ' (check "token")' : '';
      attemptError = `the server answered HTTP ${statusCode ?? '?'} instead of upgrading${hint}`;
    },
    closed(opened, code, reason, token) {
      if (opened && code === POLICY_VIOLATION) {
        notes.refused(reason.length > 0 ? `: ${redactSecrets(reason.toString('utf8'), token)}` : '');
      } else if (opened) {
        notes.disconnected(code, reason);
      } else {
        notes.failed(attemptError ?? `connection closed before the handshake finished (code ${code})`);
      }
      attemptError = undefined;
    },
  };
  return notes;
}
