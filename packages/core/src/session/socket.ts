import { isServerSideWs, wsQueuedBytes, wsTransport } from './ws-internals.js';

/**
 * The few things a OneBot WebSocket session needs from a socket. Core has no
 * dependency on `ws`: a `ws` WebSocket is adapted with `fromWebSocket`, a test
 * passes a fake.
 */
export interface SessionSocket {
  /** Send one TEXT frame (a Buffer holds UTF-8 JSON and must still go out as text). */
  send(data: string | Buffer): void;
  /** Start the closing handshake. The socket must release itself even if the peer never answers. */
  close(code: number, reason: string): void;
  /** Destroy the connection at once, without a closing handshake. */
  terminate(): void;
  /** Send a protocol-level ping; the session learns about the pong through `handlePong`. */
  ping(): void;
  /** Bytes accepted by `send` that have not reached the kernel yet. */
  readonly bufferedAmount: number;
  /**
   * Optional write batching: the session corks before the first write of a
   * burst and uncorks on the next tick, so a burst leaves in one `writev`.
   */
  cork?(): void;
  uncork?(): void;
  /**
   * Optional fast path for pre-framed data: write the chunks of one complete
   * unmasked text frame (from `sharedTextFrame`) straight to the transport.
   * Return false when it cannot (not open, queue busy, client side that must
   * mask): the session then falls back to `send`.
   */
  sendFrame?(chunks: readonly Buffer[]): boolean;
}

/** The structural subset of a `ws` WebSocket that `fromWebSocket` uses. */
export interface WebSocketLike {
  readonly bufferedAmount: number;
  send(data: string | Buffer, options: { binary: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'pong', listener: () => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly readyState?: number;
  readonly extensions?: string;
}

const OPEN = 1;

/** Adapt a `ws` WebSocket (server or client side) to the session socket interface. */
export function fromWebSocket(ws: WebSocketLike): SessionSocket {
  const textFrame = { binary: false };
  return {
    send: (data) => ws.send(data, textFrame),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    ping: () => ws.ping(),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    // Corking the net socket batches a burst of frames into one write.
    cork: () => wsTransport(ws)?.cork(),
    uncork: () => wsTransport(ws)?.uncork(),
    // Server frames are unmasked and, without extensions, byte-identical for
    // every peer: write the shared header and payload to the net socket. Only
    // when ws has nothing queued, so frames never overtake each other.
    sendFrame:
      isServerSideWs(ws) && !ws.extensions
        ? (chunks) => {
            const socket = wsTransport(ws);
            if (!socket || ws.readyState !== OPEN || wsQueuedBytes(ws) !== 0) return false;
            for (const chunk of chunks) socket.write(chunk);
            return true;
          }
        : undefined,
  };
}
