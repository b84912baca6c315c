import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A real full collection, so memory assertions measure what is retained,
 * not garbage not collected yet. `--expose-gc` is switched on at the first
 * call only: importing testkit must not change the process.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Bytes in use (heap and buffers) after two full collections. */
export function retainedBytesAfterGc(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  // arrayBuffers is part of external already.
  return usage.heapUsed + usage.external;
}
