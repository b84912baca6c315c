/**
 * Every read of a private field of a `ws` WebSocket (and of the one Node
 * http private the upgrade path needs), in one place. The fast frame path
 * needs what `ws` does not expose: the net socket (to cork a burst and to
 * write pre-framed bytes), which side the socket is (only server frames are
 * unmasked and byte-identical for every peer) and whether `ws` still holds
 * queued frames (a pre-framed write must not overtake them).
 *
 * Core has no dependency on `ws`: these are structural reads of plain
 * properties, and each degrades to "no fast path" when a field is missing,
 * so a `ws` that renamed them would still be correct, only slower.
 * ws-server's ws-internals.test.ts checks every field below against the
 * installed `ws` with a real server and client and fails loudly, naming
 * the field, when one changes; ws-server and ws-client pin the `ws` range
 * to the versions that test covers.
 */

/** The parts of the net.Socket under a `ws` WebSocket that the fast path uses. */
export interface WsTransport {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

/** `ws` 8.x private fields, as read here and nowhere else. */
interface WsPrivateFields {
  /** The net.Socket, null before the handshake and after close. */
  readonly _socket?: (WsTransport & { _httpMessage?: UpgradeResponse | null }) | null;
  /** True for the server side of a connection. */
  readonly _isServer?: boolean;
  /** The frame writer; `_bufferedBytes` counts frames it queued behind a pending operation. */
  readonly _sender?: { readonly _bufferedBytes?: number } | null;
}

/** Node's ServerResponse still attached to an upgraded socket (`socket._httpMessage`, a Node private). */
interface UpgradeResponse {
  detachSocket(socket: unknown): void;
}

const fields = (ws: object): WsPrivateFields => ws as WsPrivateFields;

/** The net socket under `ws`, when it has one. */
export function wsTransport(ws: object): WsTransport | undefined {
  return fields(ws)._socket ?? undefined;
}

/** Whether `ws` is the server side of its connection (false when unknown). */
export function isServerSideWs(ws: object): boolean {
  return fields(ws)._isServer === true;
}

/**
 * Bytes `ws` has queued behind a pending operation (a Blob being read, a
 * frame being compressed); `undefined` when that cannot be known, which
 * callers must treat as "busy".
 */
export function wsQueuedBytes(ws: object): number | undefined {
  const queued = fields(ws)._sender?._bufferedBytes;
  return typeof queued === 'number' ? queued : undefined;
}

/**
 * After an upgrade through an HTTP framework, the net socket still points
 * at the ServerResponse made for the upgrade request (`_httpMessage`),
 * which keeps the request and its listeners alive for the life of the
 * connection. Detaching it releases them; without the field nothing is
 * held, and nothing happens.
 */
export function releaseUpgradeResponse(ws: object): void {
  const socket = fields(ws)._socket;
  const response = socket?._httpMessage;
  if (socket && response) response.detachSocket(socket);
}
