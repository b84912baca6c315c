import type { AdminConfig } from '@onebot-gateway/core';

/** An admin API config for tests that start the admin server alone: loopback, a free port, no token. */
export const TEST_ADMIN: AdminConfig = {
  enable: true,
  host: '127.0.0.1',
  port: 0,
  token: '',
  allowedHosts: [],
  allowInsecure: false,
  maxConnections: 64,
};

/** POST `body` as JSON, as the dashboard does. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
