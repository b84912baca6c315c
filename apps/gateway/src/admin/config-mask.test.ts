import { describe, expect, it } from 'vitest';
import { maskSecrets, restoreMaskedSecrets, SECRET_MASK } from './config-mask.js';

const file = {
  network: {
    httpServers: [{ name: 'api', enable: true, port: 3000, token: 'api-secret', extra: { keep: 1 } }],
    websocketClients: [
      { name: 'rev', enable: true, url: 'ws://bot.example/onebot?x=1&access_token=url-secret', token: '' },
    ],
    futureNapCatKey: [{ name: 'n', password: 'pw-secret' }],
  },
  gateway: {
    admin: { token: 'admin-secret', port: 6099 },
    backend: { type: 'upstream', url: 'ws://up:3001', token: 'up-secret' },
  },
  unknownTopLevel: { pass: 'p-secret', nested: [{ secret: 's-secret' }] },
};

describe('maskSecrets', () => {
  it('masks every token, password, pass, secret and URL access_token, keeping everything else as written', () => {
    const masked = maskSecrets(file) as typeof file;
    const text = JSON.stringify(masked);
    expect(text).not.toMatch(/-secret/);
    expect(masked.network.httpServers[0]).toEqual({
      name: 'api',
      enable: true,
      port: 3000,
      token: SECRET_MASK,
      extra: { keep: 1 },
    });
    expect(masked.network.websocketClients[0]!.url).toBe(
      `ws://bot.example/onebot?x=1&access_token=${SECRET_MASK}`,
    );
    // An empty token stays empty: "no token" is not a secret and the dashboard shows it.
    expect(masked.network.websocketClients[0]!.token).toBe('');
    expect(masked.gateway.admin).toEqual({ token: SECRET_MASK, port: 6099 });
    expect(masked.gateway.backend.token).toBe(SECRET_MASK);
    expect(masked.unknownTopLevel).toEqual({ pass: SECRET_MASK, nested: [{ secret: SECRET_MASK }] });
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const raw = JSON.parse('{"network":{},"__proto__":{"token":"x"}}') as unknown;
    const masked = maskSecrets(raw) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(JSON.stringify(masked)).toBe(`{"network":{},"__proto__":{"token":"${SECRET_MASK}"}}`);
  });
});

describe('restoreMaskedSecrets', () => {
  it('gives every masked secret its current value back, adapters by name even when reordered', () => {
    const edited = maskSecrets(file) as typeof file & { network: Record<string, unknown[]> };
    // The dashboard reorders the kinds and changes a port (moving "api" to another kind no longer keeps its token).
    const next = {
      ...edited,
      network: {
        websocketClients: edited.network.websocketClients,
        httpServers: [{ ...edited.network.httpServers[0], port: 4000 }],
        futureNapCatKey: edited.network.futureNapCatKey,
      },
    };
    const { config, problems } = restoreMaskedSecrets(next, file);
    expect(problems).toEqual([]);
    const restored = config as typeof file;
    expect(restored.network.httpServers[0]).toMatchObject({
      name: 'api',
      port: 4000,
      token: 'api-secret',
    });
    expect(restored.network.websocketClients[0]!.url).toBe(
      'ws://bot.example/onebot?x=1&access_token=url-secret',
    );
    expect(restored.gateway.admin.token).toBe('admin-secret');
    expect(restored.gateway.backend.token).toBe('up-secret');
    expect(restored.unknownTopLevel).toEqual(file.unknownTopLevel);
    expect(restored.network.futureNapCatKey).toEqual(file.network.futureNapCatKey);
  });

  it('takes a new secret or an empty one as sent', () => {
    const next = maskSecrets(file) as typeof file;
    next.network.httpServers[0]!.token = 'new-one';
    next.gateway.admin.token = '';
    const { config } = restoreMaskedSecrets(next, file);
    expect((config as typeof file).network.httpServers[0]!.token).toBe('new-one');
    expect((config as typeof file).gateway.admin.token).toBe('');
  });

  it('names the path of a mask that has nothing to keep (a new entry, a renamed one)', () => {
    const next = {
      network: {
        httpServers: [{ name: 'renamed', token: SECRET_MASK }],
        websocketClients: [{ name: 'new', url: `ws://x/?access_token=${SECRET_MASK}` }],
      },
    };
    const { problems } = restoreMaskedSecrets(next, file);
    expect(problems.map((problem) => problem.path)).toEqual([
      'network.httpServers[0].token',
      'network.websocketClients[0].url',
    ]);
    expect(problems[0]!.message).toMatch(/no current value to keep/);
  });
});

describe('a mask is kept only where the secret keeps its destination', () => {
  const masked = () => maskSecrets(file) as typeof file & { network: Record<string, unknown[]> };
  const retype = (path: string, why: RegExp) => ({ path, message: expect.stringMatching(why) as unknown });

  it('a client whose url changed (same name, same kind): the masked token and URL token are problems', () => {
    const next = masked();
    next.network.websocketClients = [{ name: 'rev', enable: true, url: 'ws://evil/', token: SECRET_MASK }];
    expect(restoreMaskedSecrets(next, file).problems).toEqual([
      retype('network.websocketClients[0].token', /retype the token: the entry's url changed/),
    ]);
    const viaUrl = masked();
    viaUrl.network.websocketClients = [
      { name: 'rev', enable: true, url: `ws://evil/onebot?x=1&access_token=${SECRET_MASK}`, token: '' },
    ];
    expect(restoreMaskedSecrets(viaUrl, file).problems).toEqual([
      retype('network.websocketClients[0].url', /retype the token: the entry's url changed/),
    ]);
  });

  it('an entry moved to another kind (a server renamed into a client, or to another server kind): problems', () => {
    const next = masked();
    next.network.httpServers = [];
    next.network.httpClients = [{ name: 'api', enable: true, url: 'http://evil/', token: SECRET_MASK }];
    expect(restoreMaskedSecrets(next, file).problems).toEqual([
      retype(
        'network.httpClients[0].token',
        /retype the token: the entry moved from network\.httpServers to network\.httpClients/,
      ),
    ]);
    const sse = masked();
    sse.network.httpSseServers = sse.network.httpServers;
    sse.network.httpServers = [];
    expect(restoreMaskedSecrets(sse, file).problems.map((problem) => problem.path)).toEqual([
      'network.httpSseServers[0].token',
    ]);
  });

  it('gateway.backend with another url: the masked token is a problem; the same url keeps it', () => {
    const next = masked();
    next.gateway.backend.url = 'ws://evil:3001';
    expect(restoreMaskedSecrets(next, file).problems).toEqual([
      retype('gateway.backend.token', /retype the token: the entry's url changed/),
    ]);
    const same = masked();
    expect((restoreMaskedSecrets(same, file).config as typeof file).gateway.backend.token).toBe('up-secret');
  });

  it('a server keeps its token when only its host or port changed', () => {
    const next = masked();
    (next.network as Record<string, unknown[]>).httpServers = [
      { ...next.network.httpServers[0]!, host: '0.0.0.0', port: 4000 },
    ];
    const { config, problems } = restoreMaskedSecrets(next, file);
    expect(problems).toEqual([]);
    expect((config as typeof file).network.httpServers[0]!.token).toBe('api-secret');
  });
});

describe('secret keys by suffix, and URL user-info passwords', () => {
  const raw = {
    network: {
      httpClients: [{ name: 'hook', url: 'https://bot:url-pw-secret@hooks.example/post', token: '' }],
    },
    plugins: {
      x: {
        apiKey: 'k1-secret',
        api_key: 'k2-secret',
        'X-Api-Key': 'k3-secret',
        privateKey: 'k4-secret',
        private_key: 'k5-secret',
        cookie: 'c-secret',
        Cookies: ['c2-secret'],
        credentials: 'cr-secret',
        credential: 'cr2-secret',
        botToken: 't-secret',
        clientSecret: 's-secret',
        dbPassword: 'p-secret',
        PASSWD: 'p2-secret',
        name: 'visible',
      },
    },
  };

  it('masks them all on GET and gives them back on PUT', () => {
    const masked = maskSecrets(raw) as typeof raw;
    expect(JSON.stringify(masked)).not.toMatch(/-secret/);
    expect(masked.network.httpClients[0]!.url).toBe(`https://bot:${SECRET_MASK}@hooks.example/post`);
    expect(masked.plugins.x.name).toBe('visible');
    expect(masked.plugins.x['X-Api-Key']).toBe(SECRET_MASK);
    expect(masked.plugins.x.Cookies).toEqual([SECRET_MASK]);
    const { config, problems } = restoreMaskedSecrets(masked, raw);
    expect(problems).toEqual([]);
    expect(config).toEqual(raw);
  });

  it('a masked user-info password follows rule one: another host is a problem', () => {
    const masked = maskSecrets(raw) as typeof raw;
    masked.network.httpClients[0]!.url = `https://bot:${SECRET_MASK}@evil.example/post`;
    expect(restoreMaskedSecrets(masked, raw).problems).toEqual([
      {
        path: 'network.httpClients[0].url',
        message: expect.stringMatching(/retype the token: the entry's url changed/),
      },
    ]);
  });
});

/** Every property name the schema marks `writeOnly`, wherever it sits (definitions, `allOf`/`then` branches). */
function writeOnlyKeys(schema: unknown, found = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null) return found;
  const properties = (schema as { properties?: Record<string, { writeOnly?: boolean }> }).properties;
  for (const [key, property] of Object.entries(properties ?? {})) if (property.writeOnly) found.add(key);
  for (const child of Object.values(schema)) writeOnlyKeys(child, found);
  return found;
}

describe('masking and the served schema', () => {
  it('masks every field GET /api/schema marks writeOnly (the dashboard shows exactly those as secrets)', async () => {
    const { buildGatewayConfigSchema } = await import('../schema/gateway-schema.js');
    const keys = writeOnlyKeys(await buildGatewayConfigSchema());
    expect(keys).toContain('token');
    // Masking goes by key name wherever the key sits, so a key it masks alone it masks everywhere.
    for (const key of keys) {
      expect(maskSecrets({ [key]: 'a-secret-value' }), key).toEqual({ [key]: SECRET_MASK });
    }
  });
});
