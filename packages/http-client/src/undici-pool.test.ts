import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Pool as UndiciPool } from 'undici';
import { Pool } from './undici-pool.js';

describe('undici-pool', () => {
  it("loads undici's own Pool from its module alone, the class undici itself exports", () => {
    const require = createRequire(import.meta.url);
    // If an undici update moved the module this would load the whole package (no failure, 10 MiB more RSS).
    expect(require.resolve('undici/lib/dispatcher/pool.js')).toMatch(
      /undici[/\\]lib[/\\]dispatcher[/\\]pool\.js$/,
    );
    expect(Pool).toBe((require('undici') as { Pool: typeof UndiciPool }).Pool);
  });
});
