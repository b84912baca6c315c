#!/usr/bin/env node
/**
 * What each module costs a gateway process in memory: for every module, a
 * fresh Node process measures its RSS and V8 heap (after a GC) before and after
 * importing it, and the difference is the module's cost (with whatever it
 * imports that was not loaded yet). Run from apps/gateway after a build:
 *   node scripts/module-cost.mjs
 * The table it prints is the one in the README ("Memory at idle").
 */
import { execFileSync } from 'node:child_process';

// [module, the package folder it is resolved from (its dependant)]
const modules = [
  ['json5', 'packages/core'],
  ['sift', 'packages/core'],
  ['@onebot-gateway/core', 'apps/gateway'],
  ['pino', 'apps/gateway'],
  ['pino-pretty', 'apps/gateway'],
  ['prom-client', 'apps/gateway'],
  ['fastify', 'packages/http-server'],
  ['ws', 'packages/ws-server'],
  ['undici', 'packages/http-client'],
  ['undici/lib/dispatcher/pool.js', 'packages/http-client'],
  ['@onebot-gateway/backend-sandbox', 'apps/gateway'],
  ['@onebot-gateway/backend-upstream', 'apps/gateway'],
  ['@onebot-gateway/http-server', 'apps/gateway'],
  ['@onebot-gateway/sse-server', 'apps/gateway'],
  ['@onebot-gateway/ws-server', 'apps/gateway'],
  ['@onebot-gateway/http-client', 'apps/gateway'],
  ['@onebot-gateway/ws-client', 'apps/gateway'],
  ['@onebot-gateway/plugin', 'apps/gateway'],
  ['@onebot-gateway/gateway', 'apps/gateway'],
];
const repoRoot = new URL('../../../', import.meta.url);

const probe = `
const settle = async () => { for (let i = 0; i < 3; i += 1) { global.gc(); await new Promise((r) => setTimeout(r, 50)); } const { rss, heapUsed } = process.memoryUsage(); return { rss, heapUsed }; };
const before = await settle();
await import(process.argv[1]);
const after = await settle();
console.log(JSON.stringify({ before, after }));
`;

const MiB = 1024 * 1024;
const rows = [];
for (const [name, from] of modules) {
  const runs = [0, 1, 2].map(() => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe, name], {
      encoding: 'utf8',
      cwd: new URL(from, repoRoot),
    });
    const { before, after } = JSON.parse(out);
    return { before: before.rss, cost: after.rss - before.rss, heap: after.heapUsed - before.heapUsed };
  });
  const median = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[1];
  rows.push({ name, before: runs[0].before, cost: median('cost'), heap: median('heap') });
}
console.log(`bare Node ${process.version}: ${(rows[0].before / MiB).toFixed(1)} MiB RSS after a GC\n`);
console.log('| module (with what it imports) | RSS cost | of which V8 heap |');
console.log('|---|---:|---:|');
for (const row of rows) {
  console.log(
    `| \`${row.name}\` | ${(row.cost / MiB).toFixed(1)} MiB | ${(row.heap / MiB).toFixed(1)} MiB |`,
  );
}
