import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests (the
// "@onebot-gateway/source" export condition), so a test never runs stale dist.
const sourceCondition = '@onebot-gateway/source';

const projectDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(group)
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(`${dir}/package.json`)),
);

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: [sourceCondition, 'node', 'import', 'default'] } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1],
        root: dir,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
  },
});
