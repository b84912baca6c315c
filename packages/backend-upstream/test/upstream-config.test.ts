import { describe, expect, it } from 'vitest';
import { parseConfig } from '@onebot-gateway/core';
import { resolveUpstreamOptions, validateUpstreamConfig } from '../src/index.js';

describe('validateUpstreamConfig', () => {
  it('fills defaults for a usable entry without connecting', () => {
    expect(validateUpstreamConfig({ url: 'ws://127.0.0.1:1/' })).toMatchObject({
      url: 'ws://127.0.0.1:1/',
      token: '',
      timeout: 30_000,
    });
  });

  it('rejects what start() would refuse, naming gateway.backend.url and never the token in it', () => {
    expect(() => validateUpstreamConfig({ url: 'http://127.0.0.1:3001' })).toThrow(
      /gateway\.backend\.url: expected a ws:\/\/ or wss:\/\/ URL/,
    );
    expect(() => validateUpstreamConfig({ url: 'not a url' })).toThrow(
      /gateway\.backend\.url: "not a url" is not a URL/,
    );
    let message = '';
    try {
      validateUpstreamConfig({ url: 'http://127.0.0.1:3001/?access_token=s3cret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/gateway\.backend\.url/);
    expect(message).not.toMatch(/s3cret/);
  });
});

describe('resolveUpstreamOptions: maxBufferedBytes', () => {
  it('defaults to 16 MiB and takes gateway.backend.maxBufferedBytes as the config file resolves it', () => {
    expect(resolveUpstreamOptions({ url: 'ws://127.0.0.1:1' }).maxBufferedBytes).toBe(16 * 1024 * 1024);
    const { gateway } = parseConfig(
      JSON.stringify({
        gateway: { backend: { type: 'upstream', url: 'ws://127.0.0.1:1', maxBufferedBytes: 4096 } },
      }),
    );
    expect(resolveUpstreamOptions(gateway.backend as Record<string, unknown>).maxBufferedBytes).toBe(4096);
    expect(resolveUpstreamOptions({ url: 'ws://127.0.0.1:1', maxBufferedBytes: -1 }).maxBufferedBytes).toBe(
      16 * 1024 * 1024,
    );
  });
});
