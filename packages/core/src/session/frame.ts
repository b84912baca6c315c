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

const headers = new WeakMap<DeliveredEvent, Buffer>();

/**
 * The frame header of an event's shared buffer, built once per event and
 * format and shared by every connection: a fan-out writes the same two
 * Buffers to N sockets without framing each copy.
 */
export function sharedTextFrameHeader(delivered: DeliveredEvent): Buffer {
  let header = headers.get(delivered);
  if (header === undefined) {
    header = encodeTextFrameHeader(delivered.buffer.length);
    headers.set(delivered, header);
  }
  return header;
}
