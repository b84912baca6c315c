import type { ActionResponse } from '../types/actions.js';
import { isJsonTextNestedDeeperThan } from './request-depth.js';
import { failedResponse } from './responses.js';

/**
 * Frames at least this long are scanned for depth before `JSON.parse`: V8
 * parses megabytes of `[[[[` slowly (about 0.25 ms per KB here, 50 MB: ~26 s
 * and ~1.5 GB) before it gives up, while the scan costs about what parsing
 * plain JSON of the same size does. Below this size the worst case is a few
 * tens of milliseconds, and the router's 128-level check, which keeps the
 * echo, answers such frames.
 */
const DEPTH_SCAN_MIN_LENGTH = 256 * 1024;
/** Past this many levels no echo is worth finding: answer without parsing. */
const MAX_PARSED_DEPTH = 1024;

function parseFailure(reason: string): ParsedFrame {
  return {
    ok: false,
    response: failedResponse(
      'BAD_REQUEST',
      `request could not be parsed: ${reason}; send {"action": "...", "params": {...}}`,
    ),
  };
}

export type ParsedFrame = { ok: true; request: unknown } | { ok: false; response: ActionResponse };

/**
 * Parse one API frame or body. A frame that is not JSON gets a 1400 answer
 * without echo: there is no way to know what the echo was. A leading UTF-8
 * byte order mark (some Windows tools write one) is ignored.
 */
export function parseActionText(text: string | Buffer): ParsedFrame {
  if (text.length >= DEPTH_SCAN_MIN_LENGTH && isJsonTextNestedDeeperThan(text, MAX_PARSED_DEPTH)) {
    return parseFailure(`it nests deeper than ${MAX_PARSED_DEPTH} levels`);
  }
  const source = typeof text === 'string' ? text : text.toString('utf8');
  try {
    return { ok: true, request: JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source) };
  } catch (error) {
    return parseFailure(error instanceof RangeError ? 'it nests too deeply' : 'it is not valid JSON');
  }
}
