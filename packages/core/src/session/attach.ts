import { createOneBotSession, type OneBotSession, type SessionInit } from './session.js';
import { fromWebSocket, type WebSocketLike } from './socket.js';

/**
 * Run a OneBot session on a `ws` WebSocket (server or client side): wires
 * message, pong, close and error, and returns the session. The socket's
 * 'error' listener matters: without one, a protocol error (bad UTF-8,
 * oversized frame) would crash the process.
 */
export function attachSessionToWebSocket(
  ws: WebSocketLike,
  init: Omit<SessionInit, 'socket'>,
): OneBotSession {
  const session = createOneBotSession({ ...init, socket: fromWebSocket(ws) });
  const logger = init.logger ?? init.context.logger;
  ws.on('message', (data, isBinary) => session.handleFrame(data, isBinary));
  ws.on('pong', () => session.handlePong());
  ws.on('close', () => session.dispose());
  ws.on('error', (error) => {
    logger.debug({ err: error, role: init.role }, `WebSocket error: ${error.message}`);
  });
  return session;
}
