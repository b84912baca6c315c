import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';
import { dataOf, openSse } from './support/sse-reader.js';

const TOKENS = ['log-admin-tok-1', 'log-api-tok-2', 'log-url-tok-3'];

describe('GET /api/logs on the real process', () => {
  const fixture = useGatewayProcesses();

  it('streams the recent log lines first, then live ones, as the JSON the log wrote and never a token', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig(
        {
          httpServers: [{ name: 'api', enable: true, host: '127.0.0.1', port: 0, token: TOKENS[1] }],
          websocketClients: [
            {
              name: 'rev',
              enable: true,
              url: `ws://127.0.0.1:9/onebot?access_token=${TOKENS[2]}`,
              reconnectInterval: 60_000,
            },
          ],
        },
        { admin: { enable: true, host: '127.0.0.1', port: 0, token: TOKENS[0] } },
      ),
    );
    const auth = { authorization: `Bearer ${TOKENS[0]}` };
    expect((await fetch(`${gateway.adminUrl}/api/logs`)).status).toBe(401);

    const reader = fixture.track(await openSse(`${gateway.adminUrl}/api/logs`, { headers: auth }));
    expect(reader.status).toBe(200);
    // Lines logged before anyone listened come first: the startup lines.
    const up = dataOf(await reader.next((f) => / is up/.test(String(dataOf(f)?.msg))))!;
    expect(up).toMatchObject({
      level: expect.any(Number),
      msg: expect.stringMatching(/onebot-gateway .* is up/),
    });
    await reader.next((f) => /^api \(httpServers\): listening on/.test(String(dataOf(f)?.msg)));

    // A live line: a save through the admin API logs "config applied".
    const config = (await (await fetch(`${gateway.adminUrl}/api/config`, { headers: auth })).json()) as {
      gateway: Record<string, unknown>;
    };
    config.gateway.logLevel = 'debug';
    const saved = await fetch(`${gateway.adminUrl}/api/config`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
    expect(saved.status).toBe(200);
    const applied = dataOf(await reader.next((f) => /^config applied/.test(String(dataOf(f)?.msg))))!;
    expect(applied).toMatchObject({ unchanged: ['api', 'rev'] });

    // Every line is valid JSON as the log wrote it, and no token appears in any of them.
    const all = reader.frames.filter((f) => f.data !== undefined);
    for (const frame of all) expect(dataOf(frame)).toBeDefined();
    const text = all.map((f) => f.data).join('\n');
    for (const token of TOKENS) expect(text).not.toContain(token);
    // The same lines reached stdout: the tap shows the log, nothing more.
    expect(gateway.logs.some((line) => /^config applied/.test(line.msg))).toBe(true);
  });
});
