import type { DeliveredEvent } from '../bus/event-bus.js';

/**
 * RFC 6455 header of one unmasked, unfragmented text frame (what a server
 * sends) carrying `length` payload bytes.
 */
export function encodeTextFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  header.writeUInt32BE(length >>> 0, 6);
  return header;
}

/** Payloads up to this size are copied once into a header+payload frame: one write per socket instead of two. */
const COPY_LIMIT = 64 * 1024;

const frames = new WeakMap<DeliveredEvent, readonly Buffer[]>();

/**
 * The complete frame of an event's shared buffer, built once per event and
 * format and shared by every connection: a fan-out writes the same Buffers to
 * N sockets without framing each copy. Small events are one Buffer; big ones
 * keep header and payload apart rather than copy the payload.
 */
let lastDelivered: DeliveredEvent | undefined;
let lastChunks: readonly Buffer[] = [];

export function sharedTextFrame(delivered: DeliveredEvent): readonly Buffer[] {
  // A fan-out hands the same event to every subscriber in a row: one pointer
  // comparison serves all but the first of them.
  if (delivered === lastDelivered) return lastChunks;
  let chunks = frames.get(delivered);
  if (chunks === undefined) {
    const payload = delivered.buffer;
    const header = encodeTextFrameHeader(payload.length);
    chunks = payload.length <= COPY_LIMIT ? [Buffer.concat([header, payload], header.length + payload.length)] : [header, payload];
    frames.set(delivered, chunks);
  }
  lastDelivered = delivered;
  lastChunks = chunks;
  return chunks;
}
