/** A `: ping` comment: ignored by EventSource, keeps proxies from closing an idle stream. */
export const PING_FRAME = Buffer.from(': ping\n\n');

/**
 * One event as SSE bytes: `id: <seq>` then `data: <json>`. The JSON is the
 * bus's pre-serialised text (JSON escapes newlines, so one `data:` line is
 * always enough); the frame is built once per event, in one allocation, and
 * the same Buffer is written to every stream.
 */
export function encodeEventFrame(id: number, json: string): Buffer {
  return Buffer.from(`id: ${id}\ndata: ${json}\n\n`);
}

/** The id a reconnecting client sent, or undefined when absent or not a plain non-negative integer. */
export function parseLastEventId(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
