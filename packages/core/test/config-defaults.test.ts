import { describe, expect, it } from 'vitest';
import { adapterEntries } from '../src/config/adapter-entries.js';
import { adapterKinds, napcatAdapterKinds } from '../src/config/adapter-schema.js';
import { defaultConfig, defaultConfigText } from '../src/config/default-config.js';
import { parseConfig } from '../src/config/parse-config.js';
import { resolveAdapterConfig } from '../src/config/resolve-entry.js';
import type { AdapterKind } from '../src/config/types.js';
import { expectedGatewayDefaults, expectedNatsConnectionDefaults, MiB } from './helpers/expected-defaults.js';

const httpServerDefaults = {
  name: 'http-server',
  enable: false,
  host: '127.0.0.1',
  port: 3000,
  allowedOrigins: [],
  maxConnections: 256,
  requestTimeout: 10000,
  enableCors: true,
  enableWebsocket: false,
  messagePostFormat: 'array',
  token: '',
  debug: false,
  maxBodySize: 16 * MiB,
  heartInterval: 30000,
  reportSelfMessage: false,
  enableForcePushEvent: true,
};

// The options table of the README, as data: if a default changes, this test
// and the README change together.
const expectedDefaults: Record<AdapterKind, Record<string, unknown>> = {
  httpServers: httpServerDefaults,
  // sse-server is http-server plus its stream: the same keys and defaults, two more.
  httpSseServers: {
    ...httpServerDefaults,
    name: 'http-sse-server',
    sseReplayBufferSize: 1000,
    ssePingInterval: 15000,
  },
  websocketServers: {
    name: 'websocket-server',
    enable: false,
    host: '127.0.0.1',
    port: 3001,
    allowedOrigins: [],
    maxConnections: 256,
    requestTimeout: 10000,
    messagePostFormat: 'array',
    token: '',
    reportSelfMessage: false,
    enableForcePushEvent: true,
    heartInterval: 30000,
    debug: false,
    maxPayload: 16 * MiB,
    maxBufferedBytes: 16 * MiB,
  },
  httpClients: {
    name: 'http-client',
    enable: false,
    url: 'http://localhost:8080',
    messagePostFormat: 'array',
    token: '',
    reportSelfMessage: false,
    debug: false,
    heartInterval: 0,
    timeout: 5000,
    concurrency: 16,
    queueSize: 10000,
    retries: 3,
  },
  websocketClients: {
    name: 'websocket-client',
    enable: false,
    url: 'ws://localhost:8082',
    messagePostFormat: 'array',
    token: '',
    reportSelfMessage: false,
    heartInterval: 30000,
    reconnectInterval: 5000,
    debug: false,
    bufferSize: 1000,
    bufferMaxAge: 60000,
    verifyCertificate: true,
    maxPayload: 16 * MiB,
    maxBufferedBytes: 16 * MiB,
  },
  plugins: {
    name: 'plugin',
    enable: false,
    messagePostFormat: 'array',
    reportSelfMessage: false,
    debug: false,
    options: {},
  },
  natsBridges: {
    name: 'nats-bridge',
    enable: false,
    messagePostFormat: 'array',
    debug: false,
    ...expectedNatsConnectionDefaults,
    maxAge: 24 * 60 * 60 * 1000,
    maxBytes: 1024 * MiB,
    replicas: 1,
    maxBufferedBytes: 64 * MiB,
  },
};

describe('defaults', () => {
  it.each(adapterKinds)('an empty %s entry gets exactly the documented defaults', (kind) => {
    expect(resolveAdapterConfig(kind, {})).toEqual(expectedDefaults[kind]);
    expect(resolveAdapterConfig(kind)).toEqual(expectedDefaults[kind]);
  });

  it('a missing or null value takes the default', () => {
    expect(resolveAdapterConfig('websocketServers', { port: null, token: null } as never)).toMatchObject({
      port: 3001,
      allowedOrigins: [],
      maxConnections: 256,
      requestTimeout: 10000,
      token: '',
    });
  });

  it('no entry has a filter unless given (every event is delivered, as before)', () => {
    for (const kind of adapterKinds) {
      expect(resolveAdapterConfig(kind, {})).not.toHaveProperty('filter');
      expect(resolveAdapterConfig(kind, { filter: null })).not.toHaveProperty('filter');
    }
    const filter = { group_id: { $in: [1] } };
    expect(resolveAdapterConfig('websocketServers', { filter }).filter).toBe(filter);
  });

  it('a plugin module stays absent unless given', () => {
    expect(resolveAdapterConfig('plugins', {})).not.toHaveProperty('module');
    expect(resolveAdapterConfig('plugins', { module: './p.js' }).module).toBe('./p.js');
  });

  it('the gateway section defaults to the sandbox, the local admin API and info logs', () => {
    const config = parseConfig('{}');
    expect(config.network).toEqual({
      httpServers: [],
      httpSseServers: [],
      httpClients: [],
      websocketServers: [],
      websocketClients: [],
      plugins: [],
      natsBridges: [],
    });
    expect(config.gateway).toEqual(expectedGatewayDefaults);
  });

  it('gateway.rateLimit takes fractional rates and strings, as go-cqhttp files have them', () => {
    const config = parseConfig(
      '{"gateway": {"rateLimit": {"enable": "true", "frequency": "0.5", "bucket": "3", "actions": "send_msg, send_like", "maxQueue": 0}}}',
    );
    expect(config.gateway.rateLimit).toMatchObject({
      enable: true,
      frequency: 0.5,
      bucket: 3,
      actions: ['send_msg', 'send_like'],
      maxQueue: 0,
    });
  });

  it('an upstream backend gets its defaults', () => {
    const config = parseConfig(
      '{"gateway": {"backend": {"type": "upstream", "url": "wss://napcat.example/ws"}}}',
    );
    expect(config.gateway.backend).toEqual({
      type: 'upstream',
      url: 'wss://napcat.example/ws',
      token: '',
      timeout: 30000,
      reconnectInterval: 5000,
      maxBufferedBytes: 16 * MiB,
    });
  });
});

describe('coercion', () => {
  it.each([
    ['3001', 3001],
    [' 3001 ', 3001],
    ['+3001', 3001],
    [3001, 3001],
    ['0', 0],
  ])('port %j -> %j', (input, output) => {
    expect(resolveAdapterConfig('websocketServers', { port: input } as never).port).toBe(output);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    [' false ', false],
    ['1', true],
    ['0', false],
    [1, true],
    [0, false],
    [true, true],
  ])('boolean %j -> %j', (input, output) => {
    expect(resolveAdapterConfig('httpServers', { enableCors: input } as never).enableCors).toBe(output);
  });

  it('numeric tokens and names become strings', () => {
    expect(resolveAdapterConfig('httpServers', { token: 123456, name: 42 } as never)).toMatchObject({
      token: '123456',
      name: '42',
    });
  });

  it('messagePostFormat ignores case and surrounding spaces', () => {
    expect(
      resolveAdapterConfig('httpClients', { messagePostFormat: ' String ' } as never).messagePostFormat,
    ).toBe('string');
  });

  it('leaves tokens exactly as written (spaces included)', () => {
    expect(resolveAdapterConfig('httpServers', { token: ' spaced ' }).token).toBe(' spaced ');
  });
});

describe('resolveAdapterConfig', () => {
  it('keeps unknown keys', () => {
    expect(resolveAdapterConfig('httpClients', { extraHeader: 'X-Bot: 1' })['extraHeader']).toBe('X-Bot: 1');
  });

  it('is idempotent and does not modify its input', () => {
    const input = { port: '4000', enable: 'true', custom: { a: 1 } };
    const snapshot = structuredClone(input);
    const once = resolveAdapterConfig('websocketServers', input);
    expect(resolveAdapterConfig('websocketServers', once)).toEqual(once);
    expect(input).toEqual(snapshot);
  });

  it('treats a "__proto__" key as a plain key, never as a prototype', () => {
    const config = parseConfig(
      '{"__proto__": {"a": 1}, "network": {"__proto__": {"b": 1}, "httpServers": [{"__proto__": {"c": 1}, "port": 1}]},' +
        ' "gateway": {"__proto__": {"d": 1}, "backend": {"__proto__": {"e": 1}}, "admin": {"__proto__": {"f": 1}}}}',
    );
    const objects: Record<string, unknown>[] = [
      config,
      config.network,
      config.network.httpServers[0] ?? {},
      config.gateway,
      config.gateway.backend,
      config.gateway.admin,
    ];
    for (const object of objects) expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    const plain: Record<string, unknown> = {};
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) {
      expect(plain[key]).toBeUndefined();
      for (const object of objects) expect(object[key]).toBeUndefined();
    }
  });
});

describe('JSON5 and odd encodings', () => {
  it('accepts comments, trailing commas, unquoted keys and single quotes', () => {
    const config = parseConfig(`{
      // comment
      network: { websocketServers: [{ name: 'ws', port: 4001, }, ], /* block */ },
    }`);
    expect(config.network.websocketServers[0]).toMatchObject({ name: 'ws', port: 4001 });
  });

  it('accepts a UTF-8 byte order mark (files saved by Windows editors)', () => {
    expect(parseConfig('\uFEFF{"network": {"plugins": [{"name": "p"}]}}').network.plugins[0]?.name).toBe('p');
  });
});

describe('defaultConfigText / defaultConfig', () => {
  it('is plain JSON in NapCat layout that loads to defaultConfig()', () => {
    const text = defaultConfigText();
    const raw = JSON.parse(text) as { network: Record<string, unknown[]> };
    // NapCat's six kinds only: distributed mode's natsBridges stays out so NapCat can read the file.
    expect(Object.keys(raw.network)).toEqual([...napcatAdapterKinds]);
    expect(parseConfig(text)).toEqual(defaultConfig());
  });

  it('enables the HTTP API on 3000 and the WebSocket server on 3001, on localhost, without tokens', () => {
    const config = defaultConfig();
    const enabled = adapterEntries(config).filter((entry) => entry.config.enable);
    expect(
      enabled.map((entry) => [entry.kind, entry.config['host'], entry.config['port'], entry.config['token']]),
    ).toEqual([
      ['httpServers', '127.0.0.1', 3000, ''],
      ['websocketServers', '127.0.0.1', 3001, ''],
    ]);
    expect(config.gateway).toEqual(expectedGatewayDefaults);
  });

  it('has a disabled example of every other kind, which can be switched on without a port clash', () => {
    const config = defaultConfig();
    expect(napcatAdapterKinds.map((kind) => config.network[kind].length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(config.network.natsBridges).toEqual([]);
    const raw = JSON.parse(defaultConfigText()) as {
      network: Record<string, Array<Record<string, unknown>>>;
    };
    for (const kind of adapterKinds) for (const entry of raw.network[kind] ?? []) entry['enable'] = true;
    expect(() => parseConfig(JSON.stringify(raw))).not.toThrow();
  });

  it('returns a fresh object every time', () => {
    const first = defaultConfig();
    first.network.httpServers.length = 0;
    expect(defaultConfig().network.httpServers).toHaveLength(1);
  });
});

describe('string lists (allowedOrigins, allowedHosts)', () => {
  it('accept an array, a comma-separated string and numbers; blanks are dropped', () => {
    expect(
      resolveAdapterConfig('websocketServers', { allowedOrigins: [' https://a.example ', ''] } as never)
        .allowedOrigins,
    ).toEqual(['https://a.example']);
    expect(
      resolveAdapterConfig('httpServers', { allowedOrigins: 'https://a.example, http://b.example' } as never)
        .allowedOrigins,
    ).toEqual(['https://a.example', 'http://b.example']);
    expect(
      parseConfig('{"gateway": {"admin": {"allowedHosts": ["gw.lan", 42]}}}').gateway.admin.allowedHosts,
    ).toEqual(['gw.lan', '42']);
  });

  it('refuse anything else with the path of the key', () => {
    expect(() => parseConfig('{"network": {"websocketServers": [{"allowedOrigins": [{}]}]}}')).toThrow(
      /network\.websocketServers\[0\]\.allowedOrigins: expected an array of strings/,
    );
    expect(() => parseConfig('{"gateway": {"admin": {"allowedHosts": true}}}')).toThrow(
      /gateway\.admin\.allowedHosts: expected an array of strings/,
    );
  });
});
