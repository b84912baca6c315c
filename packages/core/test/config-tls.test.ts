import { describe, expect, it } from 'vitest';
import { OneBotError } from '../src/errors.js';
import { parseConfig } from '../src/config/parse-config.js';
import type { ConfigProblem } from '../src/config/problems.js';

// The `tls` blocks (protocol.md "TLS"): optional, no default, checked key by
// key at load; the files themselves are read by the listener at start.

function linesOf(config: unknown): string[] {
  try {
    parseConfig(JSON.stringify(config), { fileName: 'onebot11.json' });
  } catch (error) {
    expect(error).toBeInstanceOf(OneBotError);
    const problems = ((error as OneBotError).details?.['problems'] ?? []) as ConfigProblem[];
    return problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected parseConfig to throw');
}

describe('tls config blocks', () => {
  it('are absent unless written, so a NapCat file keeps serving plain HTTP', () => {
    const config = parseConfig(
      JSON.stringify({ network: { httpServers: [{}], websocketServers: [{}], websocketClients: [{}] } }),
    );
    expect(config.network.httpServers[0]).not.toHaveProperty('tls');
    expect(config.network.websocketServers[0]).not.toHaveProperty('tls');
    expect(config.network.websocketClients[0]).not.toHaveProperty('tls');
    expect(config.gateway.admin).not.toHaveProperty('tls');
  });

  it('keep cert, key and ca as written (trimmed), on every server kind and the admin API', () => {
    const tls = { cert: ' certs/cert.pem ', key: 'certs/key.pem', ca: '/etc/ssl/ca.pem' };
    const config = parseConfig(
      JSON.stringify({
        network: {
          httpServers: [{ name: 'h', tls }],
          httpSseServers: [{ name: 's', tls }],
          websocketServers: [{ name: 'w', tls }],
          websocketClients: [{ name: 'c', tls: { ca: 'ca.pem' } }],
        },
        gateway: { admin: { tls: { cert: 'a.pem', key: 'b.pem' } } },
      }),
    );
    const expected = { cert: 'certs/cert.pem', key: 'certs/key.pem', ca: '/etc/ssl/ca.pem' };
    expect(config.network.httpServers[0]?.tls).toEqual(expected);
    expect(config.network.httpSseServers[0]?.tls).toEqual(expected);
    expect(config.network.websocketServers[0]?.tls).toEqual(expected);
    expect(config.network.websocketClients[0]?.tls).toEqual({ ca: 'ca.pem' });
    expect(config.gateway.admin.tls).toEqual({ cert: 'a.pem', key: 'b.pem' });
  });

  it('name the key of a bad value: tls.cert, tls.key, tls.ca', () => {
    expect(
      linesOf({
        network: {
          websocketServers: [{ name: 'a', tls: { cert: 5, key: '' } }],
          httpServers: [{ name: 'b', tls: { key: 'k.pem' } }],
          httpSseServers: [{ name: 'c', tls: 'cert.pem' }],
          websocketClients: [{ name: 'd', tls: { ca: [] } }],
        },
        gateway: { admin: { tls: { cert: 'c.pem', key: 'k.pem', ca: false } } },
      }),
    ).toEqual([
      'network.httpServers[0].tls.cert: is required: expected a file path',
      'network.httpSseServers[0].tls: expected an object like {"cert": "cert.pem", "key": "key.pem"}, got "cert.pem"',
      'network.websocketServers[0].tls.cert: expected a file path, got 5',
      'network.websocketServers[0].tls.key: must not be empty: expected a file path',
      'network.websocketClients[0].tls.ca: expected a file path, got an array',
      'gateway.admin.tls.ca: expected a file path, got false',
    ]);
  });
});
