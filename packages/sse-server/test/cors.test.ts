import { afterEach, describe, expect, it } from 'vitest';
import { connect, startSseServer, stopAllSse } from './helpers.js';

afterEach(stopAllSse);

describe('sse-server CORS on the event stream', () => {
  it("without a token, a foreign page's EventSource is refused without Access-Control-Allow-Origin; the server's own page is granted", async () => {
    const { url } = await startSseServer({ enableCors: true });
    const foreign = await connect(`${url}/_events`, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const own = await connect(`${url}/_events`, { origin: url });
    expect(own.headers.get('access-control-allow-origin')).toBe(url);
  });

  it('with a token, any page holding it is granted', async () => {
    const { url } = await startSseServer({ enableCors: true, token: 'tok' });
    const stream = await connect(`${url}/_events?access_token=tok`, { origin: 'https://app.example' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});
