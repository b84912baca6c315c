import { describe, expect, it } from 'vitest';
import {
  checkOrigin,
  checkRequestOrigin,
  isLoopbackAddress,
  isLoopbackHostHeader,
  isOriginListed,
  normaliseOrigin,
  originRefusalMessage,
  type OriginCheckInput,
} from './origin-policy.js';

const base: OriginCheckInput = {
  origin: 'https://evil.example',
  host: '127.0.0.1:3001',
  token: '',
  allowedOrigins: [],
};

describe('checkOrigin', () => {
  it('lets a request without Origin through (bots, CLI clients)', () => {
    expect(checkOrigin({ ...base, origin: undefined })).toEqual({ allowed: true, because: 'no-origin' });
    expect(checkOrigin({ ...base, origin: '' })).toEqual({ allowed: true, because: 'no-origin' });
  });

  it('refuses a request without Origin that the browser marks as sent by another site', () => {
    for (const fetchSite of ['cross-site', 'same-site']) {
      expect(checkOrigin({ ...base, origin: undefined, fetchSite })).toEqual({
        allowed: false,
        origin: undefined,
      });
      expect(checkOrigin({ ...base, origin: undefined, fetchSite, token: 't' }).allowed).toBe(true);
      expect(checkOrigin({ ...base, origin: undefined, fetchSite, allowedOrigins: ['*'] }).allowed).toBe(
        true,
      );
    }
    // Typed in the address bar, or the listener's own page.
    for (const fetchSite of ['none', 'same-origin']) {
      expect(checkOrigin({ ...base, origin: undefined, fetchSite }).allowed).toBe(true);
    }
  });

  it('refuses a foreign page when no token is set', () => {
    expect(checkOrigin(base)).toEqual({ allowed: false, origin: 'https://evil.example' });
  });

  it('lets any page ask when a token is set (the token is the guard)', () => {
    expect(checkOrigin({ ...base, token: 't' })).toEqual({ allowed: true, because: 'token' });
  });

  it.each([
    ['exact', 'https://app.example', 'https://app.example'],
    ['case and trailing slash', 'HTTPS://App.Example/', 'https://app.example'],
    ['default port', 'https://app.example:443', 'https://app.example'],
    ['explicit port', 'http://app.example:8080', 'http://app.example:8080/'],
    ['the * opt-out', 'https://anything.example', '*'],
  ])('allows a listed origin (%s)', (_label, origin, listed) => {
    expect(checkOrigin({ ...base, origin, allowedOrigins: [listed] })).toEqual({
      allowed: true,
      because: 'listed',
    });
  });

  it.each([
    ['another port', 'http://app.example:8081', 'http://app.example:8080'],
    ['another scheme', 'http://app.example', 'https://app.example'],
    ['a subdomain', 'https://x.app.example', 'https://app.example'],
    ['a suffix trick', 'https://app.example.evil.example', 'https://app.example'],
  ])('refuses an origin that only resembles a listed one (%s)', (_label, origin, listed) => {
    expect(checkOrigin({ ...base, origin, allowedOrigins: [listed] }).allowed).toBe(false);
  });

  it.each([
    ['ip and port', 'http://127.0.0.1:3001', '127.0.0.1:3001'],
    ['name in another case', 'http://LocalHost:3001', 'localhost:3001'],
    ['default port in Host', 'http://192.168.1.5', '192.168.1.5:80'],
    ['IPv6', 'http://[::1]:3001', '[::1]:3001'],
  ])('allows the page served by the listener itself (%s)', (_label, origin, host) => {
    expect(checkOrigin({ ...base, origin, host })).toEqual({ allowed: true, because: 'same-host' });
  });

  it('refuses a same-host origin on another port (another local site)', () => {
    expect(checkOrigin({ ...base, origin: 'http://127.0.0.1:8080', host: '127.0.0.1:3001' }).allowed).toBe(
      false,
    );
  });

  it('refuses a rebound name on a loopback listener even though Origin matches Host', () => {
    const rebound = { ...base, origin: 'http://evil.example:3001', host: 'evil.example:3001' };
    expect(checkOrigin({ ...rebound, localAddress: '127.0.0.1' }).allowed).toBe(false);
    expect(checkOrigin({ ...rebound, localAddress: '::ffff:127.0.0.1' }).allowed).toBe(false);
    // Rebinding works to any address the listener has (LAN, a container's), so a
    // DNS name is never "the listener's own page"; such pages are listed instead.
    expect(checkOrigin({ ...rebound, localAddress: '192.168.1.5' }).allowed).toBe(false);
    expect(checkOrigin({ ...rebound, localAddress: '172.17.0.2' }).allowed).toBe(false);
    expect(
      checkOrigin({ ...rebound, localAddress: '172.17.0.2', allowedOrigins: ['http://evil.example:3001'] })
        .allowed,
    ).toBe(true);
    expect(
      checkOrigin({
        ...base,
        origin: 'http://192.168.1.5:3001',
        host: '192.168.1.5:3001',
        localAddress: '192.168.1.5',
      }).allowed,
    ).toBe(true);
    expect(
      checkOrigin({
        ...base,
        origin: 'http://localhost:3001',
        host: 'localhost:3001',
        localAddress: '127.0.0.1',
      }).allowed,
    ).toBe(true);
  });

  it('refuses the opaque null origin unless listed', () => {
    expect(checkOrigin({ ...base, origin: 'null' }).allowed).toBe(false);
    expect(checkOrigin({ ...base, origin: 'null', allowedOrigins: ['null'] }).allowed).toBe(true);
  });
});

describe('checkRequestOrigin', () => {
  const request = (headers: Record<string, string>, localAddress = '127.0.0.1') => ({
    headers,
    socket: { localAddress },
  });

  it("reads the request's Origin, Host and local address", () => {
    const policy = { token: '', allowedOrigins: [] };
    expect(
      checkRequestOrigin(request({ origin: 'http://127.0.0.1:3001', host: '127.0.0.1:3001' }), policy),
    ).toEqual({
      allowed: true,
      because: 'same-host',
    });
    // A rebound name arrives on loopback: Origin = Host does not count.
    const rebound = { origin: 'http://evil.example:3001', host: 'evil.example:3001' };
    expect(checkRequestOrigin(request(rebound), policy).allowed).toBe(false);
    expect(checkRequestOrigin(request(rebound), { ...policy, token: 't' }).allowed).toBe(true);
  });

  it('reads Sec-Fetch-Site only when the policy asks for it', () => {
    const crossSite = request({ host: '127.0.0.1:3001', 'sec-fetch-site': 'cross-site' });
    const policy = { token: '', allowedOrigins: [] };
    expect(checkRequestOrigin(crossSite, policy)).toEqual({ allowed: true, because: 'no-origin' });
    expect(checkRequestOrigin(crossSite, { ...policy, fetchSite: true })).toEqual({
      allowed: false,
      origin: undefined,
    });
  });
});

describe('normaliseOrigin and isOriginListed', () => {
  it('serialises like a browser and rejects non-http origins', () => {
    expect(normaliseOrigin('HTTP://Example.COM:80/')).toBe('http://example.com');
    expect(normaliseOrigin('file:///tmp/x.html')).toBeUndefined();
    expect(normaliseOrigin('not a url')).toBeUndefined();
  });

  it('matches nothing with an empty list', () => {
    expect(isOriginListed('https://app.example', [])).toBe(false);
  });
});

describe('loopback', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'app.localhost',
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback', (host) => expect(isLoopbackAddress(host)).toBe(true));

  it.each([
    '0.0.0.0',
    '::',
    '192.168.1.5',
    '10.0.0.1',
    '127.0.0.256',
    '128.0.0.1',
    'evil.example',
    'localhost.evil.example',
    '::2',
    '',
  ])('%s is not loopback', (host) => expect(isLoopbackAddress(host)).toBe(false));

  it.each(['localhost', 'localhost:6099', '127.0.0.1:6099', '127.1.2.3', '[::1]', '[::1]:6099'])(
    'Host %s names loopback',
    (host) => expect(isLoopbackHostHeader(host)).toBe(true),
  );

  it.each(['evil.example', 'evil.example:6099', '0.0.0.0:6099', '[::2]:6099', '', undefined])(
    'Host %s does not name loopback',
    (host) => expect(isLoopbackHostHeader(host)).toBe(false),
  );
});

describe('originRefusalMessage', () => {
  it('says how to allow a request that carried no Origin', () => {
    expect(originRefusalMessage(undefined)).toMatch(/another site .* set a token/);
  });

  it('says how to allow the page', () => {
    expect(originRefusalMessage('https://evil.example')).toBe(
      'origin https://evil.example is not allowed: set a token or add it to allowedOrigins',
    );
  });
});
