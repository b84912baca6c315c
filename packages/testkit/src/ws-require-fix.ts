import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Under this repo's vitest config, CommonJS `require('ws')` resolves through
 * the "import" condition to ws's ESM wrapper, whose namespace lacks
 * `WebSocket.Server`; @fastify/websocket then fails with "WebSocket.Server is
 * not a constructor". When (and only when) that happens, seed the require
 * cache for the wrapper's path with ws's real CommonJS entry, so every
 * `require('ws')` in the process gets the full module. Plain Node is untouched.
 */
export function makeWsRequireCompatible(): void {
  const require = createRequire(import.meta.url);
  const resolved = require.resolve('ws');
  if (!resolved.endsWith('.mjs')) return;
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  const existing = cache[resolved] as { exports?: { Server?: unknown } } | undefined;
  if (existing?.exports?.Server) return;
  const commonJs: unknown = require(join(dirname(resolved), 'index.js'));
  const entry = new (
    Module as unknown as new (id: string) => { exports: unknown; loaded: boolean; filename: string }
  )(resolved);
  entry.exports = commonJs;
  entry.loaded = true;
  entry.filename = resolved;
  cache[resolved] = entry;
}

makeWsRequireCompatible();
