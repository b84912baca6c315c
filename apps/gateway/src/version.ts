import { readFileSync } from 'node:fs';

/** The gateway's version, from its package.json (works from src and dist alike). */
export function gatewayVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
