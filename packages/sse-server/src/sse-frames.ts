/** A `: ping` comment: ignored by EventSource, keeps proxies from closing an idle stream. */
export const PING_FRAME = Buffer.from(': ping\n\n');

const FRAME_END = Buffer.from('\n\n');

/**
 * One event as SSE bytes: `id: <seq>` then `data: <json>`. The JSON comes
 * pre-encoded from the event bus and never contains a raw newline (JSON
 * escapes them), so a single `data:` line is always enough. Built once per
 * event and shared by every stream.
 */
export function encodeEventFrame(id: number, json: Buffer): Buffer {
  const head = Buffer.from(`id: ${id}\ndata: `);
  return Buffer.concat([head, json, FRAME_END], head.length + json.length + FRAME_END.length);
}

/** The id a reconnecting client sent, or undefined when absent or not a plain non-negative integer. */
export function parseLastEventId(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
