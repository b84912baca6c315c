import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the
// "@onebot-gateway/source" export condition), so a test never runs stale dist.
// Vitest also hands these conditions to Node (--conditions) for external
// packages, so the list must not contain "import": with it, CommonJS
// require('ws') would get ws's ESM wrapper. The rest are Vite's server defaults.
const conditions = ['@onebot-gateway/source', 'module', 'node', 'development|production'];

// Paths from this file's folder, so a package's own `pnpm test` (vitest --root ../..) finds them too.
const repoRoot = import.meta.dirname;
const projectDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(repoRoot, group))
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(join(repoRoot, dir, 'package.json'))),
);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      ...projectDirs.map((dir) => ({
        extends: true,
        test: {
          name: dir.split('/')[1],
          root: join(repoRoot, dir),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
      // The dashboard in a real Chromium against the built gateway: one file at a time, slower steps,
      // after every other project (groupOrder 1), so its timings are not taken on a machine busy with them.
      {
        extends: true,
        test: {
          name: 'dashboard-browser',
          root: join(repoRoot, 'packages/dashboard'),
          include: ['browser-test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
