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

/**
 * Payloads up to this size share one Buffer with their header: one write per
 * socket instead of two. Also the largest payload with a 4-byte header.
 */
const COPY_LIMIT = 65_535;

/**
 * One text frame, header and payload, in one allocation, encoded straight
 * from the JSON text: no intermediate payload Buffer and no copy of it.
 */
function encodeTextFrame(json: string, length: number): Buffer {
  const headerLength = length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) {
    frame[1] = length;
  } else {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  }
  frame.write(json, headerLength, 'utf8');
  return frame;
}

function buildChunks(delivered: DeliveredEvent): readonly Buffer[] {
  const json = delivered.json;
  const length = Buffer.byteLength(json);
  if (length <= COPY_LIMIT) return [encodeTextFrame(json, length)];
  // Big payloads keep header and payload apart rather than copy the payload.
  return [encodeTextFrameHeader(length), delivered.buffer];
}

/** DeliveredEvent objects made by the bus have a slot for their frame; others use the WeakMap. */
interface FrameSlot {
  textFrame: readonly Buffer[] | undefined;
}
function hasFrameSlot(delivered: DeliveredEvent): delivered is DeliveredEvent & FrameSlot {
  return 'textFrame' in delivered;
}
const frames = new WeakMap<DeliveredEvent, readonly Buffer[]>();

/**
 * The complete frame of an event, built once per event and format and shared
 * by every connection: a fan-out writes the same Buffers to N sockets without
 * framing each copy.
 */
let lastDelivered: DeliveredEvent | undefined;
let lastChunks: readonly Buffer[] = [];

export function sharedTextFrame(delivered: DeliveredEvent): readonly Buffer[] {
  // A fan-out hands the same event to every subscriber in a row: one pointer
  // comparison serves all but the first of them.
  if (delivered === lastDelivered) return lastChunks;
  let chunks: readonly Buffer[] | undefined;
  if (hasFrameSlot(delivered)) {
    chunks = delivered.textFrame ??= buildChunks(delivered);
  } else {
    chunks = frames.get(delivered);
    if (chunks === undefined) frames.set(delivered, (chunks = buildChunks(delivered)));
  }
  lastDelivered = delivered;
  lastChunks = chunks;
  return chunks;
}
