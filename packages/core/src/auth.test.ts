import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkToken,
  extractToken,
  redactDebugText,
  redactHeaders,
  redactText,
  redactUrl,
  signBody,
  verifySignature,
} from './auth.js';

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

  it.each([
    ['/get_status?access%5Ftoken=secret', '/get_status?access%5Ftoken=***'],
    ['/get_status?%61ccess%5ftoken=secret&a=1', '/get_status?%61ccess%5ftoken=***&a=1'],
    ['/x?%61%63%63%65%73%73%5F%74%6F%6B%65%6E=secret', '/x?%61%63%63%65%73%73%5F%74%6F%6B%65%6E=***'],
  ])('masks a percent-encoded key the query parser decodes to access_token: %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
    // What the server parses is the key the redaction found.
    expect(new URLSearchParams(input.split('?')[1]).get('access_token')).toBe('secret');
  });

  it('masks the known token wherever it appears, as is and percent-encoded', () => {
    expect(redactUrl('/send_msg?message=s3cr%2Bt&other=s3cr+t', 's3cr+t')).toBe(
      '/send_msg?message=***&other=***',
    );
    expect(redactUrl('/s3cr+t/x', 's3cr+t')).toBe('/***/x');
  });
});

describe('redactText and redactDebugText', () => {
  it('masks access_token values in any encoding and the token value in free text', () => {
    expect(redactText('{"url":"/a?access%5Ftoken=abc","m":"tok-1 and tok-1"}', 'tok-1')).toBe(
      '{"url":"/a?access%5Ftoken=***","m":"*** and ***"}',
    );
  });

  it('masks a token with characters JSON escapes inside a JSON body', () => {
    const token = 'a"b\\c';
    expect(redactText(JSON.stringify({ m: `x${token}y` }), token)).toBe('{"m":"x***y"}');
  });

  it('cuts long text, keeping a token that straddles the cut whole so it is masked', () => {
    const token = 'T'.repeat(40);
    const text = `${'x'.repeat(100 - 10)}${token}${'y'.repeat(50)}`;
    const shown = redactDebugText(text, token, '***', 100);
    expect(shown).toBe(`${'x'.repeat(90)}***... (${text.length} chars)`);
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
