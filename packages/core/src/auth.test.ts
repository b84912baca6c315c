import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkToken, extractToken, redactHeaders, redactUrl, signBody, verifySignature } from './auth.js';

describe('extractToken', () => {
  it.each([
    ['Bearer', 'Bearer abc123'],
    ['Token', 'Token abc123'],
    ['an unusual scheme', 'Whatever abc123'],
    ['a lower-case scheme', 'bearer abc123'],
    ['extra spaces', '  Bearer    abc123  '],
    ['a bare header', 'abc123'],
  ])('reads the token from an Authorization header with %s', (_label, header) => {
    expect(extractToken({ authorization: header })).toBe('abc123');
  });

  it('keeps spaces inside a token after the scheme', () => {
    expect(extractToken({ authorization: 'Token two words' })).toBe('two words');
  });

  it('falls back to the access_token query value', () => {
    expect(extractToken({ accessToken: 'from-query' })).toBe('from-query');
  });

  it('prefers the header over the query', () => {
    expect(extractToken({ authorization: 'Bearer from-header', accessToken: 'from-query' })).toBe(
      'from-header',
    );
  });

  it.each([
    ['nothing', {}],
    ['an empty header', { authorization: '' }],
    ['a blank header', { authorization: '   ' }],
    ['a scheme with no token', { authorization: 'Bearer ' }],
    ['a lone scheme word', { authorization: 'Token' }],
    ['an empty access_token=', { accessToken: '' }],
    ['empty arrays', { authorization: [], accessToken: [] }],
  ])('returns undefined for %s', (_label, sources) => {
    expect(extractToken(sources)).toBeUndefined();
  });

  it('uses the query when the header carries no token', () => {
    expect(extractToken({ authorization: 'Bearer', accessToken: 'q' })).toBe('q');
    expect(extractToken({ authorization: '', accessToken: 'q' })).toBe('q');
  });

  it('takes the first value of repeated headers and parameters', () => {
    expect(extractToken({ authorization: ['Bearer first', 'Bearer second'] })).toBe('first');
    expect(extractToken({ accessToken: ['one', 'two'] })).toBe('one');
  });
});

describe('checkToken', () => {
  it.each([
    ['nothing', undefined],
    ['an empty token', ''],
    ['the "undefined" clients send', 'undefined'],
    ['garbage', 'x'.repeat(10_000)],
  ])('accepts %s when no token is configured', (_label, provided) => {
    expect(checkToken('', provided)).toBe('ok');
  });

  it('reports a missing token', () => {
    expect(checkToken('secret', undefined)).toBe('missing');
    expect(checkToken('secret', '')).toBe('missing');
  });

  it('reports a wrong token, whatever its length', () => {
    expect(checkToken('secret', 'secreT')).toBe('wrong');
    expect(checkToken('secret', 'secret-but-longer')).toBe('wrong');
    expect(checkToken('secret', 's')).toBe('wrong');
  });

  it('accepts the right token', () => {
    expect(checkToken('secret', 'secret')).toBe('ok');
    expect(checkToken('töken ✓', 'töken ✓')).toBe('ok');
  });
});

describe('the auth matrix a server adapter applies', () => {
  const verdict = (expected: string, authorization?: string, accessToken?: string) =>
    checkToken(expected, extractToken({ authorization, accessToken }));

  it.each([
    ['no token configured, garbage header', '', 'Token undefined', undefined, 'ok'],
    ['no token configured, garbage query', '', undefined, 'nonsense', 'ok'],
    ['no token configured, empty query', '', undefined, '', 'ok'],
    ['token configured, nothing sent', 'tk', undefined, undefined, 'missing'],
    ['token configured, empty access_token=', 'tk', undefined, '', 'missing'],
    ['token configured, Bearer scheme with no token', 'tk', 'Bearer ', undefined, 'missing'],
    ['token configured, wrong Bearer', 'tk', 'Bearer nope', undefined, 'wrong'],
    ['token configured, wrong bare header', 'tk', 'nope', undefined, 'wrong'],
    ['token configured, wrong query', 'tk', undefined, 'nope', 'wrong'],
    ['token configured, "Token undefined"', 'tk', 'Token undefined', undefined, 'wrong'],
    ['token configured, right Bearer', 'tk', 'Bearer tk', undefined, 'ok'],
    ['token configured, right Token scheme', 'tk', 'Token tk', undefined, 'ok'],
    ['token configured, right bare header', 'tk', 'tk', undefined, 'ok'],
    ['token configured, right query', 'tk', undefined, 'tk', 'ok'],
    ['token configured, empty header and right query', 'tk', '', 'tk', 'ok'],
  ])('%s -> %s', (_label, expected, authorization, accessToken, result) => {
    expect(verdict(expected, authorization, accessToken)).toBe(result);
  });
});

describe('signBody / verifySignature', () => {
  const body = '{"post_type":"message","raw_message":"héllo"}';

  it('signs with HMAC-SHA1 over the body bytes', () => {
    const expected = createHmac('sha1', 'key').update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signBody('key', body)).toBe(`sha1=${expected}`);
    expect(signBody('key', Buffer.from(body))).toBe(`sha1=${expected}`);
  });

  it('matches a known vector', () => {
    // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog"), a widely published test vector.
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9',
    );
  });

  it('verifies a correct signature, in either hex case and from a header array', () => {
    const signature = signBody('key', body);
    expect(verifySignature('key', body, signature)).toBe(true);
    expect(verifySignature('key', Buffer.from(body), signature.toUpperCase().replace('SHA1=', 'sha1='))).toBe(
      true,
    );
    expect(verifySignature('key', body, [signature, 'sha1=00'])).toBe(true);
  });

  it('rejects a missing, truncated, foreign or tampered signature', () => {
    const signature = signBody('key', body);
    expect(verifySignature('key', body, undefined)).toBe(false);
    expect(verifySignature('key', body, '')).toBe(false);
    expect(verifySignature('key', body, signature.slice(0, -1))).toBe(false);
    expect(verifySignature('key', body, signature.slice('sha1='.length))).toBe(false);
    expect(verifySignature('other', body, signature)).toBe(false);
    expect(verifySignature('key', `${body} `, signature)).toBe(false);
  });

  it('accepts anything when no token is configured', () => {
    expect(verifySignature('', body, undefined)).toBe(true);
    expect(verifySignature('', body, 'sha1=garbage')).toBe(true);
  });
});

describe('redactUrl', () => {
  it.each([
    ['ws://host:3001/?access_token=secret', 'ws://host:3001/?access_token=***'],
    ['/event?x=1&access_token=secret&y=2', '/event?x=1&access_token=***&y=2'],
    ['/api?ACCESS_TOKEN=secret#frag', '/api?ACCESS_TOKEN=***#frag'],
    ['access_token=secret', 'access_token=***'],
    ['http://user:pass@host/path', 'http://user:***@host/path'],
    ['/api?access_token=', '/api?access_token='],
    ['/api?my_access_token=keep', '/api?my_access_token=keep'],
    ['/send_msg?user_id=1', '/send_msg?user_id=1'],
  ])('%s -> %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });

  it('accepts URL objects', () => {
    expect(redactUrl(new URL('wss://example.com/ws?access_token=t0p'))).toBe(
      'wss://example.com/ws?access_token=***',
    );
  });
});

describe('redactHeaders', () => {
  it('masks Authorization in any case and keeps the scheme', () => {
    const headers = { Authorization: 'Bearer secret', 'content-type': 'application/json' };
    expect(redactHeaders(headers)).toEqual({
      Authorization: 'Bearer ***',
      'content-type': 'application/json',
    });
    expect(redactHeaders({ authorization: 'secret' })).toEqual({ authorization: '***' });
    expect(redactHeaders({ 'proxy-authorization': ['Basic abc'] })).toEqual({
      'proxy-authorization': ['Basic ***'],
    });
  });

  it('does not modify its input', () => {
    const headers = { authorization: 'Bearer secret' };
    redactHeaders(headers);
    expect(headers.authorization).toBe('Bearer secret');
  });

  it('never lets the token through', () => {
    const text = JSON.stringify(redactHeaders({ authorization: 'Token  s3cr3t ', 'x-self-id': '1' }));
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('x-self-id');
  });
});
