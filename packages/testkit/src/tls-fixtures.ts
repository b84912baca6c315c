import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';

/**
 * Committed TLS test certificates (fixtures/tls, made by fixtures/tls/make-certs.sh):
 * each names localhost and 127.0.0.1 and is valid until 2126, so tests
 * never depend on the clock or on generating keys. Absolute paths; the same
 * from src (vitest) and dist.
 */
function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
}

export const tlsFixtures = {
  /** A self-signed server certificate and its key: trust it with verifyCertificate: false, or as its own CA. */
  selfSigned: { cert: fixture('self-signed-cert.pem'), key: fixture('self-signed-key.pem') },
  /** A server certificate signed by `ca`, and its key. */
  caSigned: { cert: fixture('ca-signed-cert.pem'), key: fixture('ca-signed-key.pem') },
  /** The test CA that signed `caSigned`. */
  ca: fixture('ca-cert.pem'),
} as const;

/** Write `pair` as `cert.pem` and `key.pem` in `dir`: a first install, or a renewal in place. */
export async function copyTlsPair(pair: { cert: string; key: string }, dir: string): Promise<void> {
  await copyFile(pair.cert, join(dir, 'cert.pem'));
  await copyFile(pair.key, join(dir, 'key.pem'));
}

/** A fresh temp folder holding the self-signed pair as `cert.pem` and `key.pem`; the caller removes it. */
export async function tempTlsDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await copyTlsPair(tlsFixtures.selfSigned, dir);
  return dir;
}

/** SHA-256 fingerprint of a PEM certificate file, as `getPeerCertificate().fingerprint256` writes it. */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}

/** Both test certificates are trusted: the self-signed one is its own CA. */
export function trustedTestCas(): Buffer[] {
  return [readFileSync(tlsFixtures.selfSigned.cert), readFileSync(tlsFixtures.ca)];
}

/**
 * The fingerprint of the certificate a TLS listener serves to a NEW
 * connection (verified against both test CAs), then the connection is closed.
 */
export function servedFingerprint(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca: trustedTestCas(), servername: 'localhost' }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.once('error', reject);
  });
}

export interface TlsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The served certificate's SHA-256 fingerprint. */
  fingerprint: string;
}

/** One HTTPS request on a new connection that trusts `ca` (default: both test CAs). */
export function httpsRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer[] } = {},
): Promise<TlsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        ca: init.ca ?? trustedTestCas(),
        agent: false,
      },
      (response) => {
        const socket = response.socket as TLSSocket;
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, fingerprint }),
        );
        response.on('error', reject);
      },
    );
    req.once('error', reject);
    req.end(init.body);
  });
}
