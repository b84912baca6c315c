import { createRequire } from 'node:module';

/** The package version, read at run time so a changeset bump never leaves a stale copy. */
function readVersion(): string {
  try {
    // src/ and dist/ are both one level below package.json.
    const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const SANDBOX_VERSION = readVersion();
export const SANDBOX_APP_NAME = 'onebot-gateway-sandbox';
