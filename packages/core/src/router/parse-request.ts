import type { ActionResponse } from '../types/actions.js';
import { failedResponse } from './responses.js';

export type ParsedFrame = { ok: true; request: unknown } | { ok: false; response: ActionResponse };

/**
 * Parse one API frame or body. A frame that is not JSON gets a 1400 answer
 * without echo: there is no way to know what the echo was. A leading UTF-8
 * byte order mark (some Windows tools write one) is ignored.
 */
export function parseActionText(text: string | Buffer): ParsedFrame {
  const source = typeof text === 'string' ? text : text.toString('utf8');
  try {
    return { ok: true, request: JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source) };
  } catch (error) {
    const reason = error instanceof RangeError ? 'it nests too deeply' : 'it is not valid JSON';
    return {
      ok: false,
      response: failedResponse(
        1400,
        `request could not be parsed: ${reason}; send {"action": "...", "params": {...}}`,
      ),
    };
  }
}
