import type { Duplex } from 'node:stream';
import { failedResponse, type Logger } from '@onebot-gateway/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpRefusal, isHttpRefusal, sendOneBotResponse, sendRefusal } from './onebot-reply.js';

function refusalForFastifyError(error: FastifyError, bodyLimit: number): HttpRefusal | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpRefusal(
        'PAYLOAD_TOO_LARGE',
        `request body is larger than ${bodyLimit} bytes; send a smaller body or raise maxBodySize`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpRefusal(
        'BAD_REQUEST',
        'content type is not supported; send application/json or application/x-www-form-urlencoded',
        406,
      );
    default:
      break;
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new HttpRefusal('BAD_REQUEST', `request could not be read: ${error.message}`, status);
  }
  return undefined;
}

/**
 * Errors fastify raises before routing (a URL that does not decode). Their
 * messages quote the raw URL, query and token included, so the answer names
 * the problem without repeating the URL.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const reason =
    error.code === 'FST_ERR_BAD_URL'
      ? 'the request URL is malformed (a bad percent-encoding); encode the path and query with encodeURIComponent'
      : `request could not be routed (${error.code})`;
  sendRefusal(reply, new HttpRefusal('BAD_REQUEST', reason, 400, { cause: error }));
}

/** Every failure becomes a OneBot JSON body with the matching HTTP status; only real bugs are 500. */
export function registerErrorHandling(
  app: FastifyInstance,
  logger: Logger,
  bodyLimit: number,
  onError: (error: unknown) => void,
): void {
  app.setErrorHandler((error: FastifyError, request, reply: FastifyReply) => {
    if (isHttpRefusal(error)) return sendRefusal(reply, error);
    const refusal = refusalForFastifyError(error, bodyLimit);
    if (refusal) return sendRefusal(reply, refusal);
    onError(error);
    logger.error({ err: error, method: request.method }, 'unexpected error while answering an HTTP request');
    return sendOneBotResponse(reply, failedResponse('INTERNAL', `internal error: ${error.message}`), 500);
  });
  app.setNotFoundHandler((request, reply) => {
    sendRefusal(
      reply,
      new HttpRefusal(
        'UNKNOWN_ACTION',
        `no route for ${request.method} ${request.url.split('?')[0]}; call GET|POST /<action> or POST / with {"action": ...}`,
      ),
    );
  });
}

const clientErrorStatus: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * Requests node's HTTP parser rejects (bad framing, a non-numeric
 * content-length) never reach fastify's routes: answer them with a OneBot
 * body too, then close the connection since its framing is unknown.
 */
/**
 * An error of the TLS layer on a TLS listener (a handshake past its deadline,
 * plain HTTP on the TLS port, a bad ClientHello). Node hands it to the same
 * `clientError` hook, but no HTTP answer can reach that peer: written before
 * a handshake, it would wait for one for ever and the socket would stay open.
 */
function isTlsLayerError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || 'library' in error;
}

export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable || isTlsLayerError(error)) {
    socket.destroy();
    return;
  }
  const [status, reason] = clientErrorStatus[error.code ?? ''] ?? [400, 'Bad Request'];
  const body = JSON.stringify(
    failedResponse(
      'BAD_REQUEST',
      `the HTTP request is malformed (${error.code ?? error.message}); fix the client's framing`,
    ),
  );
  // Destroy once the answer is flushed: server sockets are half-open capable,
  // so end() alone would leave the descriptor to a peer that never closes its
  // side (a silent socket timed out by requestTimeout would live on).
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
