import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { adapterEntries } from '../src/config/adapter-entries.js';
import { loadConfigFile } from '../src/config/load-config-file.js';
import { parseConfig } from '../src/config/parse-config.js';
import type { GatewayConfig } from '../src/config/types.js';
import { expectedGatewayDefaults } from './helpers/expected-defaults.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/config/', import.meta.url));
const fixtureNames = readdirSync(fixtureDir).filter((name) => /\.json5?$/.test(name));
const fixturePath = (name: string) => `${fixtureDir}${name}`;
const readRaw = (name: string): Record<string, unknown> =>
  JSON5.parse(readFileSync(fixturePath(name), 'utf8'));

// Files whose values are all of the right type already: they must come back
// with every key and value they had (defaults are only added around them).
const typedFixtures = fixtureNames.filter((name) => name !== 'string-typed-values.json');

describe('real-world config fixtures', () => {
  it('has one fixture per adapter kind plus the special cases', () => {
    expect(fixtureNames).toEqual(
      expect.arrayContaining([
        'napcat-default.json',
        'http-server.json',
        'http-sse-server.json',
        'websocket-server.json',
        'http-client.json',
        'websocket-client.json',
        'plugins.json',
        'string-typed-values.json',
        'unknown-keys.json',
        'commented.json5',
      ]),
    );
  });

  it.each(fixtureNames)('%s loads', async (name) => {
    const config = await loadConfigFile(fixturePath(name));
    expect(Object.keys(config.network)).toEqual(
      expect.arrayContaining([
        'httpServers',
        'httpSseServers',
        'websocketServers',
        'httpClients',
        'websocketClients',
        'plugins',
      ]),
    );
  });

  it.each(typedFixtures)('%s keeps every key and value it had', async (name) => {
    const config = await loadConfigFile(fixturePath(name));
    expect(config).toMatchObject(readRaw(name));
  });

  it('the NapCat default file yields no adapters, the default gateway section and NapCat top-level keys', async () => {
    const config = await loadConfigFile(fixturePath('napcat-default.json'));
    expect(adapterEntries(config)).toEqual([]);
    expect(config.gateway).toEqual(expectedGatewayDefaults);
    expect(config['musicSignUrl']).toBe('');
    expect(config['parseMultMsg']).toBe(false);
  });

  it('a file with only some arrays gets the others as []', async () => {
    const config = await loadConfigFile(fixturePath('websocket-server.json'));
    expect(config.network.httpSseServers).toEqual([]);
    expect(config.network.plugins).toEqual([]);
    expect(config.network.websocketServers[0]).toMatchObject({
      name: 'main',
      port: 3001,
      maxPayload: 16 * 1024 * 1024,
    });
  });

  it('tokens come through exactly, with and without', async () => {
    const sse = await loadConfigFile(fixturePath('http-sse-server.json'));
    expect(sse.network.httpSseServers[0]?.token).toBe('sse-Secret-42');
    const http = await loadConfigFile(fixturePath('http-server.json'));
    expect(http.network.httpServers[0]?.token).toBe('');
  });

  it('string-typed numbers and booleans are coerced (NapCat docker/env style)', async () => {
    const config = await loadConfigFile(fixturePath('string-typed-values.json'));
    expect(config.network.httpServers[0]).toMatchObject({
      enable: true,
      port: 3000,
      enableCors: false,
      enableWebsocket: false,
      token: '123456',
      debug: false,
    });
    expect(config.network.httpClients[0]).toMatchObject({
      enable: false,
      reportSelfMessage: true,
      debug: false,
    });
    expect(config.network.websocketServers[0]).toMatchObject({
      enable: true,
      port: 3001,
      reportSelfMessage: false,
      enableForcePushEvent: true,
      heartInterval: 30000,
    });
    expect(config.network.websocketClients[0]).toMatchObject({
      enable: true,
      reportSelfMessage: true,
      reconnectInterval: 5000,
      heartInterval: 15000,
    });
    expect(config.network.httpSseServers[0]).toMatchObject({
      enable: true,
      port: 3002,
      enableCors: true,
      enableWebsocket: true,
      messagePostFormat: 'string',
      reportSelfMessage: false,
      debug: false,
    });
    expect(config.network.plugins[0]).toMatchObject({ enable: false, reportSelfMessage: true, debug: true });
    // Keys outside `network` and `gateway` are NapCat's business: untouched, strings stay strings.
    expect(config['enableLocalFile2Url']).toBe('false');
  });

  it('unknown keys survive at every level', async () => {
    const config: GatewayConfig = await loadConfigFile(fixturePath('unknown-keys.json'));
    expect(config.network.httpServers[0]?.['futureNapCatOption']).toEqual({ nested: [1, 2, 3] });
    expect(config.network['grpcServers']).toEqual([{ name: 'grpc', enable: true }]);
    expect(config['GroupLocalTime']).toEqual({ Record: false, RecordList: [] });
    expect(config.gateway['metrics']).toEqual({ enable: true });
    expect(config.gateway.admin['cors']).toBe('*');
    expect(config.gateway.backend).toEqual({
      type: 'sandbox',
      selfId: 10001,
      nickname: 'Sandbox Bot',
      friends: [{ user_id: 20002 }],
    });
  });

  it('JSON5 with comments, single quotes, hex and trailing commas loads', async () => {
    const config = await loadConfigFile(fixturePath('commented.json5'));
    expect(config.network.websocketServers[0]).toMatchObject({
      name: 'koishi',
      port: 6700,
      heartInterval: 30000,
      token: 'abc',
    });
    expect(config.network.httpServers[0]).toMatchObject({ name: 'http', host: '127.0.0.1', port: 5700 });
    expect(config.gateway.backend).toEqual({
      type: 'upstream',
      url: 'ws://127.0.0.1:3001',
      token: 'upstream-token',
      timeout: 30000,
      reconnectInterval: 5000,
      maxBufferedBytes: 16 * 1024 * 1024,
    });
  });

  it('a full per-account file: a disabled SSE server may share the HTTP server port', async () => {
    const config = await loadConfigFile(fixturePath('onebot11_1234567890.json'));
    expect(
      adapterEntries(config).map((entry) => `${entry.kind}:${entry.config.name}:${entry.config.enable}`),
    ).toEqual([
      'httpServers:httpServer:true',
      'httpSseServers:httpSseServer:false',
      'httpClients:httpClient:false',
      'websocketServers:WsServer:true',
      'websocketClients:WsClient:true',
      'plugins:myPlugin:false',
    ]);
  });

  it('parses the same text the same way as loadConfigFile', async () => {
    const text = readFileSync(fixturePath('http-client.json'), 'utf8');
    expect(parseConfig(text, { fileName: 'x.json' })).toEqual(
      await loadConfigFile(fixturePath('http-client.json')),
    );
  });
});
