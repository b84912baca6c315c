import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from './raw-request.js';
import { startServer, stopAll } from './helpers.js';

afterEach(stopAll);

const TOKEN = 'tok-9f3c2a71-secret';

describe('http-server: the token never reaches a log line or an error answer', () => {
  it('a percent-encoded access%5Ftoken authenticates and is redacted from the debug log', async () => {
    const server = await startServer({ name: 'encoded', token: TOKEN, debug: true });
    const reply = await rawRequest(`${server.url}/get_status?access%5Ftoken=${TOKEN}`, { method: 'GET' });
    expect(reply.status).toBe(200);
    const log = server.backend.logger.text();
    expect(log).toContain('access%5Ftoken=***');
    expect(log).not.toContain(TOKEN);
  });

  it('a URL that does not decode gets a 400 that does not repeat the URL', async () => {
    const server = await startServer({ name: 'bad-url', token: TOKEN, debug: true });
    const reply = await rawRequest(`${server.url}/%ZZ?access_token=${TOKEN}`, { method: 'GET' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 'failed', retcode: 1400 });
    expect(reply.text).toMatch(/malformed/);
    expect(reply.text).not.toContain(TOKEN);
    expect(reply.text).not.toContain('%ZZ');
    expect(server.backend.logger.text()).not.toContain(TOKEN);
  });

  it('debug logs request and response bodies with the token masked wherever it appears', async () => {
    const server = await startServer({ name: 'bodies', token: TOKEN, debug: true });
    const asJson = await rawRequest(`${server.url}/echo_params`, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ note: `my token is ${TOKEN}` }),
    });
    expect(asJson.status).toBe(200);
    // The answer itself carries what the action returned: only logs are redacted.
    expect(asJson.text).toContain(TOKEN);
    const asForm = await rawRequest(`${server.url}/echo_params?note=${encodeURIComponent(TOKEN)}`, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Token ${TOKEN}`,
      },
      body: `access%5Ftoken=${TOKEN}&also=${TOKEN}`,
    });
    expect(asForm.status).toBe(200);

    const records = server.backend.logger.records;
    expect(records.filter((record) => record.msg === 'http action')).toHaveLength(2);
    expect(records.filter((record) => record.msg === 'http response')).toHaveLength(2);
    const log = server.backend.logger.text();
    expect(log).toContain('my token is ***');
    expect(log).not.toContain(TOKEN);
  });
});
