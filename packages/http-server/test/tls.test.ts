import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import {
  copyTlsPair,
  createFakeBackend,
  fingerprintOf,
  httpsRequest,
  servedFingerprint,
  tempTlsDir,
  tlsFixtures,
  trustedTestCas,
} from '@onebot-gateway/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServerAdapter } from '../src/index.js';

// Protocol.md "TLS": an httpServers entry with `tls: {cert, key}` serves the
// same API on https://, paths relative to the config file's folder (baseDir).

let dir: string;
const adapters: Array<ReturnType<typeof createHttpServerAdapter>> = [];
const backends: Array<ReturnType<typeof createFakeBackend>> = [];

beforeEach(async () => {
  dir = await tempTlsDir('http-server-tls-');
});

afterEach(async () => {
  await Promise.all(adapters.splice(0).map((adapter) => adapter.stop()));
  for (const backend of backends.splice(0)) backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

function create(config: Record<string, unknown> = {}) {
  const backend = createFakeBackend();
  backends.push(backend);
  const adapter = createHttpServerAdapter(
    { name: 'https-api', port: 0, tls: { cert: 'cert.pem', key: 'key.pem' }, ...config },
    backend.context('https-api'),
    { baseDir: dir },
  );
  adapters.push(adapter);
  return adapter;
}

function portOf(adapter: ReturnType<typeof createHttpServerAdapter>): number {
  return Number(adapter.status().address?.split(':').pop());
}

/** Replace the served files with the CA-signed pair, as a renewal would. */
async function rotateFiles(): Promise<void> {
  await copyTlsPair(tlsFixtures.caSigned, dir);
}

/** A TLS connection kept open across the rotation; it sends one HTTP request when asked. */
function openTlsConnection(port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: trustedTestCas(), servername: 'localhost' }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

function requestOn(socket: TLSSocket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\r\n\r\n') && text.includes('"retcode"')) resolve(text);
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed; got: ${text}`)));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

describe('http-server over TLS', () => {
  it('answers API calls on https:// with the configured certificate (paths relative to baseDir)', async () => {
    const adapter = create();
    await adapter.start();
    const reply = await httpsRequest(`https://127.0.0.1:${portOf(adapter)}/get_login_info`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 'ok', retcode: 0 });
    expect(reply.fingerprint).toBe(fingerprintOf(tlsFixtures.selfSigned.cert));

    const posted = await httpsRequest(`https://127.0.0.1:${portOf(adapter)}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'get_status', echo: 7 }),
    });
    expect(JSON.parse(posted.text)).toMatchObject({ retcode: 0, echo: 7 });
  });

  it('refuses a client that does not trust the certificate (it is really TLS, not a plain listener)', async () => {
    const adapter = create();
    await adapter.start();
    await expect(httpsRequest(`https://127.0.0.1:${portOf(adapter)}/get_status`, { ca: [] })).rejects.toThrow(
      /self-signed|self signed/,
    );
  });

  it('closes a plain http:// request to the TLS port at once instead of leaving it open', async () => {
    const adapter = create();
    await adapter.start();
    await expect(fetch(`http://127.0.0.1:${portOf(adapter)}/get_status`)).rejects.toThrow(/fetch failed/);
    expect(adapter.status().state).toBe('running');
  });

  it('reloadTls: a new connection gets the new certificate, an open connection keeps working', async () => {
    const adapter = create();
    await adapter.start();
    const port = portOf(adapter);
    const old = await openTlsConnection(port);
    expect(old.getPeerCertificate().fingerprint256).toBe(fingerprintOf(tlsFixtures.selfSigned.cert));

    await rotateFiles();
    await adapter.reloadTls();

    expect(await servedFingerprint(port)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
    // The same connection, opened before the rotation, still serves requests.
    expect(await requestOn(old, '/get_status')).toMatch(/^HTTP\/1\.1 200/);
    old.destroy();
  });

  it('reload() re-reads the files too (same config), without a rebind', async () => {
    const adapter = create();
    await adapter.start();
    const port = portOf(adapter);
    await rotateFiles();
    await adapter.reload(adapter.currentConfig());
    expect(portOf(adapter)).toBe(port);
    expect(await servedFingerprint(port)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
  });

  it('a bad file on reloadTls keeps the running certificate and says which file is wrong', async () => {
    const adapter = create();
    await adapter.start();
    const port = portOf(adapter);
    await writeFile(join(dir, 'cert.pem'), 'not a certificate\n');
    await expect(adapter.reloadTls()).rejects.toThrow(
      /http-server "https-api": tls\.cert "cert\.pem" \(.*cert\.pem\): not a PEM certificate/,
    );
    expect(await servedFingerprint(port)).toBe(fingerprintOf(tlsFixtures.selfSigned.cert));
    expect(adapter.status()).toMatchObject({
      state: 'running',
      lastError: expect.stringContaining('tls.cert'),
    });
  });

  it('switching tls off and on in a reload rebinds to http:// and back to https://', async () => {
    const adapter = create();
    await adapter.start();
    const { tls: _tls, ...plain } = adapter.currentConfig();
    await adapter.reload(plain);
    const response = await fetch(`http://127.0.0.1:${portOf(adapter)}/get_status`);
    expect(response.status).toBe(200);

    await adapter.reload({ ...plain, tls: { cert: 'cert.pem', key: 'key.pem' } });
    const reply = await httpsRequest(`https://127.0.0.1:${portOf(adapter)}/get_status`);
    expect(reply.status).toBe(200);
  });

  it('keeps the listener limits: past maxConnections a connection is refused, a silent one is closed after requestTimeout', async () => {
    const adapter = create({ maxConnections: 1, requestTimeout: 500 });
    await adapter.start();
    const port = portOf(adapter);
    const closed = (socket: Socket) =>
      new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    const opened = Date.now();
    // Plain TCP that never starts the TLS handshake: HTTP's own deadline cannot see it, the handshake one must.
    const silent = connectTcp(port, '127.0.0.1');
    silent.on('error', () => undefined);
    const silentClosed = closed(silent);
    await new Promise((resolve) => silent.once('connect', resolve));
    const extra = connectTcp(port, '127.0.0.1');
    extra.on('error', () => undefined);
    const extraClosed = closed(extra);
    const [silentAt, extraAt] = await Promise.all([silentClosed, extraClosed]);
    expect(extraAt).toBeLessThan(silentAt);
    expect(silentAt - opened).toBeGreaterThanOrEqual(400);
    expect(silentAt - opened).toBeLessThan(5000);
  });

  describe('a missing or mismatched file fails the start with a reason naming the adapter and the file', () => {
    it.each([
      [
        'a missing certificate',
        { cert: 'missing.pem', key: 'key.pem' },
        /tls\.cert "missing\.pem" \(.*\): not found/,
      ],
      ['a missing key', { cert: 'cert.pem', key: 'nope.pem' }, /tls\.key "nope\.pem" \(.*\): not found/],
      [
        'a key of another certificate',
        { cert: 'cert.pem', key: tlsFixtures.caSigned.key },
        /tls\.key .*ca-signed-key\.pem: does not match the certificate of tls\.cert "cert\.pem"/,
      ],
      [
        'a certificate in the key slot',
        { cert: 'cert.pem', key: 'cert.pem' },
        /tls\.key .*: not an unencrypted PEM private key/,
      ],
    ])('%s', async (_case, tls, reason) => {
      const adapter = create({ tls });
      await expect(adapter.start()).rejects.toThrow(reason);
      await expect(adapter.start()).rejects.toThrow(/^http-server "https-api": /);
      expect(adapter.status()).toMatchObject({ state: 'failed', lastError: expect.stringMatching(reason) });
    });
  });
});
