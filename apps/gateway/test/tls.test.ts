import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  copyTlsPair,
  fingerprintOf,
  httpsRequest,
  servedFingerprint,
  tlsFixtures,
  trustedTestCas,
} from '@onebot-gateway/testkit';
import { describe, expect, it } from 'vitest';
import type { GatewayHandle } from '../src/gateway.js';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';
import { connectWs } from './support/ws-client.js';

// Protocol.md "TLS": `tls` on websocketServers and gateway.admin, files
// relative to the config file, re-read on SIGHUP without dropping
// connections; a bad file fails only its listener, with a reason naming it.

const selfSignedFiles = {
  'certs/cert.pem': readFileSync(tlsFixtures.selfSigned.cert, 'utf8'),
  'certs/key.pem': readFileSync(tlsFixtures.selfSigned.key, 'utf8'),
};
const relativeTls = { cert: 'certs/cert.pem', key: 'certs/key.pem' };

interface AdaptersBody {
  adapters: Array<{
    name: string;
    status: string;
    address?: string;
    connections: number;
    lastError?: string;
  }>;
}

describe('TLS in the real gateway process', () => {
  const fixture = useGatewayProcesses();

  async function adminJson<T>(adminUrl: string, path: string): Promise<{ status: number; body: T }> {
    const reply = await httpsRequest(`${adminUrl}${path}`);
    return { status: reply.status, body: JSON.parse(reply.text) as T };
  }

  it('serves wss:// and the admin API on https://; SIGHUP renews the certificate for new connections while an open WebSocket stays', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig(
        { websocketServers: [{ name: 'wss', enable: true, port: 0, tls: relativeTls }] },
        { admin: { enable: true, host: '127.0.0.1', port: 0, tls: relativeTls } },
      ),
      { files: selfSignedFiles },
    );
    const adminLine = await gateway.waitForLog(/^admin API on https:\/\//);
    const adminUrl = `https://${String(adminLine.admin)}`;
    const adminPort = Number(String(adminLine.admin).split(':').pop());

    const health = await adminJson<{ status: string }>(adminUrl, '/api/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const { body } = await adminJson<AdaptersBody>(adminUrl, '/api/adapters');
    const wssPort = Number(
      body.adapters
        .find((a) => a.name === 'wss')
        ?.address?.split(':')
        .pop(),
    );
    expect(await servedFingerprint(wssPort)).toBe(fingerprintOf(tlsFixtures.selfSigned.cert));

    const old = fixture.track(await connectWs(`wss://127.0.0.1:${wssPort}/`, {}, { ca: trustedTestCas() }));
    await old.next((frame) => frame.sub_type === 'connect');

    // A renewal writes new files in place; SIGHUP tells the gateway.
    await copyTlsPair(tlsFixtures.caSigned, join(gateway.dir, 'certs'));
    gateway.child.kill('SIGHUP');
    await gateway.waitForLog(/^TLS files re-read: 2 listeners renewed, 0 kept/);

    expect(await servedFingerprint(wssPort)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
    expect(await servedFingerprint(adminPort)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
    expect(await old.call('get_status')).toMatchObject({ retcode: 0 });
    expect(old.socket.readyState).toBe(old.socket.OPEN);

    // A broken renewal: logged, both keep serving the certificate they have, the process lives on.
    await writeFile(join(gateway.dir, 'certs/key.pem'), 'not a key\n');
    gateway.child.kill('SIGHUP');
    const kept = await gateway.waitForLog(/kept their certificate \(wss, admin API\)/);
    expect(kept.msg).toMatch(/^TLS files re-read: 0 listeners renewed, 2 kept/);
    expect(
      gateway.logs.some((line) =>
        /tls\.key "certs\/key\.pem" .*: not an unencrypted PEM private key; the running certificate stays/.test(
          line.msg,
        ),
      ),
    ).toBe(true);
    expect(await servedFingerprint(wssPort)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
    expect(await old.call('get_status')).toMatchObject({ retcode: 0 });
    expect(gateway.child.exitCode).toBeNull();
  });

  it('a missing file fails only that adapter: health says which adapter, which file and what is wrong', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig({
        websocketServers: [
          {
            name: 'wss-broken',
            enable: true,
            port: 0,
            tls: { cert: 'certs/cert.pem', key: 'certs/missing.pem' },
          },
          { name: 'plain', enable: true, port: 0 },
        ],
      }),
      { files: selfSignedFiles },
    );
    const health = await gateway.admin<{ status: string; reasons: string[] }>('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.reasons).toEqual([
      expect.stringMatching(
        /^wss-broken \(websocketServers\) is failed: websocket server "wss-broken": tls\.key "certs\/missing\.pem" \(.*certs\/missing\.pem\): not found$/,
      ),
    ]);
    expect((await gateway.adapter('plain')).status).toBe('running');
  });
});

describe('TLS in in-process gateways', () => {
  const fixture = useGatewayProcesses();

  // The clients dial `/event` (push-only): the two sessions would otherwise answer each other's frames for ever.
  it('a ws-client of one gateway connects to a TLS ws-server of another: verifyCertificate: false (self-signed), tls.ca (CA-signed); verification stays on otherwise', async () => {
    const server = await fixture.start({
      config: {
        network: {
          websocketServers: [
            { name: 'wss-self', enable: true, port: 0, tls: tlsFixtures.selfSigned },
            { name: 'wss-ca', enable: true, port: 0, tls: tlsFixtures.caSigned },
          ],
        },
        gateway: { admin: { enable: false } },
      },
    });
    const portOf = (name: string) =>
      Number(
        server
          .adapters()
          .find((a) => a.name === name)
          ?.address?.split(':')
          .pop(),
      );
    const client = await fixture.start({
      config: {
        network: {
          websocketClients: [
            {
              name: 'insecure',
              enable: true,
              url: `wss://127.0.0.1:${portOf('wss-self')}/event`,
              verifyCertificate: false,
              reconnectInterval: 100,
            },
            {
              name: 'trusting',
              enable: true,
              url: `wss://127.0.0.1:${portOf('wss-ca')}/event`,
              tls: { ca: tlsFixtures.ca },
              reconnectInterval: 100,
            },
            {
              name: 'strict',
              enable: true,
              url: `wss://127.0.0.1:${portOf('wss-self')}/event`,
              reconnectInterval: 100,
            },
          ],
        },
        gateway: { admin: { enable: false } },
      },
    });
    const report = (gateway: GatewayHandle, name: string) => gateway.adapters().find((a) => a.name === name)!;

    await until(
      () => report(client, 'insecure').connections === 1 && report(client, 'trusting').connections === 1,
      'both clients to connect',
    );
    expect(report(server, 'wss-self').connections).toBe(1);
    expect(report(server, 'wss-ca').connections).toBe(1);
    // Without verifyCertificate: false or a CA, a self-signed server is refused.
    await until(() => report(client, 'strict').lastError, 'the strict client to fail');
    expect(report(client, 'strict')).toMatchObject({
      connections: 0,
      lastError: expect.stringMatching(/self-signed certificate/),
    });
  });

  it('a bad admin TLS file fails only the admin API, with the file and the problem in health', async () => {
    const gateway = await fixture.start({
      config: {
        network: { websocketServers: [{ name: 'ws', enable: true, port: 0 }] },
        gateway: {
          admin: { port: 0, tls: { cert: tlsFixtures.selfSigned.cert, key: '/nonexistent/admin-key.pem' } },
        },
      },
    });
    expect(gateway.adminAddress()).toBeUndefined();
    expect(gateway.health().reasons).toEqual(['admin API: tls.key /nonexistent/admin-key.pem: not found']);
    expect(gateway.adapters()).toMatchObject([{ name: 'ws', status: 'running' }]);
  });

  it('a missing tls.ca file fails that client with a reason naming it', async () => {
    const client = await fixture.start({
      config: {
        network: {
          websocketClients: [
            { name: 'no-ca', enable: true, url: 'wss://127.0.0.1:1/', tls: { ca: '/nonexistent/ca.pem' } },
          ],
        },
        gateway: { admin: { enable: false } },
      },
    });
    expect(client.health().reasons).toEqual([
      'no-ca (websocketClients) is failed: websocket client "no-ca": tls.ca /nonexistent/ca.pem: not found',
    ]);
  });
});
