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
  it('gives every masked secret its current value back, adapters by name even when reordered or moved', () => {
    const edited = maskSecrets(file) as typeof file & { network: Record<string, unknown[]> };
    // The dashboard reorders, moves "api" to another kind, changes a port.
    const next = {
      ...edited,
      network: {
        httpSseServers: [{ ...edited.network.httpServers[0], port: 4000 }],
        websocketClients: edited.network.websocketClients,
        futureNapCatKey: edited.network.futureNapCatKey,
      },
    };
    const { config, problems } = restoreMaskedSecrets(next, file);
    expect(problems).toEqual([]);
    const restored = config as typeof file & { network: { httpSseServers: Array<Record<string, unknown>> } };
    expect(restored.network.httpSseServers[0]).toMatchObject({
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
