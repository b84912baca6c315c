import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';

const TOKENS = [
  'tok-http-1',
  'tok-sse-2',
  'tok-ws-3',
  'tok-post-4',
  'tok-reverse-5',
  'tok-url-6',
  'tok-admin-7',
];

describe('log output of the real process (stdout is not a TTY)', () => {
  const fixture = useGatewayProcesses();

  it('is one JSON object a line, with one line per adapter giving its address or URL, and never a token', async () => {
    const postUrl = (await fixture.postReceiver()).url;
    const reverse = (await fixture.wsReceiver()).server;
    const reverseUrl = `ws://127.0.0.1:${(reverse.address() as AddressInfo).port}/onebot?access_token=tok-url-6`;

    const gateway = await fixture.spawn(
      gatewayConfig(
        {
          httpServers: [{ name: 'http', enable: true, port: 0, token: 'tok-http-1' }],
          httpSseServers: [{ name: 'sse', enable: true, port: 0, token: 'tok-sse-2' }],
          websocketServers: [{ name: 'ws', enable: true, port: 0, token: 'tok-ws-3' }],
          httpClients: [{ name: 'post', enable: true, url: postUrl, token: 'tok-post-4' }],
          websocketClients: [{ name: 'reverse', enable: true, url: reverseUrl, token: 'tok-reverse-5' }],
        },
        { admin: { enable: true, host: '127.0.0.1', port: 0, token: 'tok-admin-7' } },
      ),
    );
    // Wrong and right tokens on the wire: neither may reach a log line.
    const httpAddress = String(
      gateway.logs.find((l) => /^http \(httpServers\)/.test(l.msg))?.msg.split(' on ')[1],
    );
    await fetch(`http://${httpAddress}/get_login_info`, { headers: { authorization: 'Bearer tok-http-1' } });
    await fetch(`http://${httpAddress}/get_login_info?access_token=wrong-tok-8`);
    expect(await gateway.stop()).toBe(0);

    // Every line parsed as pino JSON (the harness keeps unparsable lines as bare {level, msg}).
    expect(gateway.logs.length).toBeGreaterThan(5);
    for (const line of gateway.logs)
      expect(line).toMatchObject({
        level: expect.any(Number),
        time: expect.any(Number),
        msg: expect.any(String),
      });

    const adapterLines = (name: string, kind: string) =>
      gateway.logs.filter((l) => l.msg.startsWith(`${name} (${kind}): `));
    for (const [name, kind] of [
      ['http', 'httpServers'],
      ['sse', 'httpSseServers'],
      ['ws', 'websocketServers'],
    ]) {
      const lines = adapterLines(name!, kind!);
      expect(lines, name).toHaveLength(1);
      expect(lines[0]!.msg).toMatch(/: listening on 127\.0\.0\.1:\d+$/);
      expect(lines[0]).toMatchObject({ adapter: name, kind });
    }
    expect(adapterLines('post', 'httpClients').map((l) => l.msg)).toEqual([
      `post (httpClients): targeting ${postUrl}`,
    ]);
    const reverseLines = adapterLines('reverse', 'websocketClients').map((l) => l.msg);
    expect(reverseLines).toHaveLength(1);
    expect(reverseLines[0]).toMatch(
      new RegExp(
        `^reverse \\(websocketClients\\): targeting ws://127\\.0\\.0\\.1:${(reverse.address() as AddressInfo).port}/onebot\\?access_token=`,
      ),
    );

    const everything = gateway.logs.map((l) => JSON.stringify(l)).join('\n') + gateway.stderr();
    for (const token of [...TOKENS, 'wrong-tok-8']) expect(everything).not.toContain(token);
  });
});
