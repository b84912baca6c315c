import { createRequire } from 'node:module';
import type { Pool as UndiciPool } from 'undici';

const require = createRequire(import.meta.url);

/**
 * undici's `Pool` without the rest of undici. `import { Pool } from 'undici'`
 * loads all of it (fetch, WebSocket, EventSource, the cache, the mock agent):
 * about 21 MiB of RSS in a gateway process, of which the pool and its HTTP/1
 * client need about 11. undici publishes no `exports` map, so the pool's own
 * module can be loaded alone; it is the very class `undici` exports (a test
 * checks), with the same dispatcher API. Should a later undici move that file,
 * the whole package is loaded instead: the cost comes back, nothing breaks.
 */
function loadPool(): typeof UndiciPool {
  try {
    return require('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
  } catch {
    return (require('undici') as { Pool: typeof UndiciPool }).Pool;
  }
}

export const Pool = loadPool();
