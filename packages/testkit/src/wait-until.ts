/**
 * Poll `condition` every `everyMs` until it holds; fails with `what` (and the bound) after `timeoutMs`.
 * For server-side effects that have no event to await.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
