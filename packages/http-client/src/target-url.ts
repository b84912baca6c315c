import { OneBotError, redactUrl } from '@onebot-gateway/core';
import { redactSecrets } from '@onebot-gateway/core/internal';
import type { HttpClientOptions } from './config.js';

/** The endpoint as a URL; a clear `ADAPTER_START_FAILED` (token masked) when it is not http(s). */
export function parseTargetUrl(config: HttpClientOptions): URL {
  let target: URL | undefined;
  try {
    target = new URL(config.url);
  } catch {
    target = undefined;
  }
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    throw new OneBotError(
      'ADAPTER_START_FAILED',
      `${config.name}: url "${loggedUrl(config)}" is not an http:// or https:// URL; fix "url" in this httpClients entry`,
      { details: { adapter: config.name } },
    );
  }
  return target;
}

/** The URL as logs and status show it: credentials and the token masked. */
export function loggedUrl(config: HttpClientOptions): string {
  return redactSecrets(redactUrl(String(config.url)), config.token);
}
