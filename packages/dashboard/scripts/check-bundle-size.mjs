// Fails the build when the app's gzipped files add up to 250 KB or more (issue 11's budget).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 250 * 1024;
const root = new URL('../dist/app/', import.meta.url).pathname;

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const total = filesUnder(root).reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0);
const shown = `${(total / 1024).toFixed(1)} KB gzipped`;
if (total >= BUDGET_BYTES) {
  console.error(`dashboard bundle is ${shown}: over the 250 KB budget`);
  process.exit(1);
}
console.log(`dashboard bundle: ${shown} (budget 250 KB)`);
