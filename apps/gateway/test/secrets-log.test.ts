import { describe, expect, it } from 'vitest';
import { gatewayConfig } from './support/gateway-process.js';
import { useGatewayProcesses } from './support/fixture.js';

const TOKEN = 'tok-debug-5e1f7c';

describe('the JSON log of the real process with debug: true', () => {
  const fixture = useGatewayProcesses();

  it('never shows the token: encoded access_token keys, undecodable URLs and bodies are redacted', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig({ httpServers: [{ name: 'http', enable: true, port: 0, token: TOKEN, debug: true }] }),
    );
    const { port } = await gateway.adapter('http');
    const base = `http://127.0.0.1:${port}`;

    const encodedKey = await fetch(`${base}/get_status?access%5Ftoken=${TOKEN}`);
    expect(encodedKey.status).toBe(200);
    const badUrl = await fetch(`${base}/%ZZ?access_token=${TOKEN}`);
    expect(badUrl.status).toBe(400);
    const sent = await fetch(`${base}/send_private_msg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ user_id: 10001, message: `the token is ${TOKEN}` }),
    });
    expect(sent.status).toBe(200);
    const bodies = [await encodedKey.text(), await badUrl.text(), await sent.text()].join('\n');
    await gateway.waitForLog(/^http response/);
    expect(await gateway.stop()).toBe(0);

    const everything = gateway.logs.map((line) => JSON.stringify(line)).join('\n') + gateway.stderr();
    expect(everything).toContain('access%5Ftoken=***');
    expect(everything).toContain('the token is ***');
    expect(everything).not.toContain(TOKEN);
    expect(bodies).not.toContain(TOKEN);
  });
});
