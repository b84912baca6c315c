/**
 * The quick operation in a reply body, or undefined for "nothing to do":
 * an empty body, a body that is not JSON, or JSON that is not a non-empty
 * object (protocol.md section 6).
 */
export function parseQuickOperation(reply: string | undefined): Record<string, unknown> | undefined {
  if (reply === undefined) return undefined;
  const text = reply.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.keys(value).length === 0 ? undefined : (value as Record<string, unknown>);
}
