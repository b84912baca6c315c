import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { ClientTlsFiles, ServerTlsFiles } from './config/types.js';
import { OneBotError } from './errors.js';

/**
 * Reading the PEM files of a `tls` block (protocol.md "TLS"). Every failure
 * names the listener, the key, the file and what is wrong with it, so an
 * operator can fix it from the one log line or health reason. Node's own
 * errors ("error:0480006C:PEM routines::no start line") say none of that.
 */

/** What `https.createServer`, fastify's `https` option and `server.setSecureContext()` take. */
export interface ServerTlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

const readFailures: Record<string, string> = {
  ENOENT: 'not found',
  EISDIR: 'is a directory, not a file',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
};

const CERTIFICATE_HEADER = '-----BEGIN CERTIFICATE-----';

/** `tls.cert "certs/cert.pem" (/etc/gateway/certs/cert.pem)`: the key, as written, and where that is. */
function describeFile(key: string, written: string, file: string): string {
  return written === file ? `tls.${key} ${file}` : `tls.${key} "${written}" (${file})`;
}

function tlsError(label: string, what: string, reason: string, file: string, cause?: unknown): OneBotError {
  return new OneBotError('ADAPTER_START_FAILED', `${label}: ${what}: ${reason}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { file, reason },
  });
}

async function readPem(label: string, key: string, written: string, baseDir: string): Promise<Buffer> {
  const file = resolve(baseDir, written);
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    const reason = readFailures[code] ?? `cannot be read (${code})`;
    throw tlsError(label, describeFile(key, written, file), reason, file, error);
  }
}

function parseCertificates(label: string, key: string, written: string, baseDir: string, pem: Buffer) {
  const file = resolve(baseDir, written);
  const what = describeFile(key, written, file);
  if (!pem.includes(CERTIFICATE_HEADER)) {
    throw tlsError(label, what, `not a PEM certificate (no "${CERTIFICATE_HEADER}" line)`, file);
  }
  try {
    // The first certificate of a chain file is the leaf; a CA file may hold several.
    return new X509Certificate(pem);
  } catch (error) {
    throw tlsError(label, what, `not a valid PEM certificate (${(error as Error).message})`, file, error);
  }
}

/**
 * Read and check a listener's `tls` files (paths relative to `baseDir`, the
 * config file's folder). Rejects with `ADAPTER_START_FAILED` naming `label`
 * (e.g. `websocket server "ws"`), the key, the file and the problem: missing,
 * unreadable, not PEM, or a key that does not belong to the certificate.
 */
export async function loadServerTlsFiles(
  tls: ServerTlsFiles,
  baseDir: string,
  label: string,
): Promise<ServerTlsMaterial> {
  const cert = await readPem(label, 'cert', tls.cert, baseDir);
  const key = await readPem(label, 'key', tls.key, baseDir);
  const ca = tls.ca === undefined ? undefined : await readPem(label, 'ca', tls.ca, baseDir);
  const leaf = parseCertificates(label, 'cert', tls.cert, baseDir, cert);
  if (ca !== undefined) parseCertificates(label, 'ca', tls.ca as string, baseDir, ca);
  const keyFile = resolve(baseDir, tls.key);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw tlsError(
      label,
      describeFile('key', tls.key, keyFile),
      'not an unencrypted PEM private key',
      keyFile,
      error,
    );
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw tlsError(
      label,
      describeFile('key', tls.key, keyFile),
      `does not match the certificate of ${describeFile('cert', tls.cert, resolve(baseDir, tls.cert))}`,
      keyFile,
    );
  }
  const material: ServerTlsMaterial = { cert, key, ...(ca === undefined ? {} : { ca }) };
  try {
    // What the server will do with them: catches anything the checks above let through.
    createSecureContext(material);
  } catch (error) {
    throw tlsError(label, 'tls', (error as Error).message, resolve(baseDir, tls.cert), error);
  }
  return material;
}

/** A client's `tls.ca` file, checked to hold at least one PEM certificate. */
export async function loadClientTlsFiles(
  tls: ClientTlsFiles,
  baseDir: string,
  label: string,
): Promise<{ ca: Buffer }> {
  const ca = await readPem(label, 'ca', tls.ca, baseDir);
  parseCertificates(label, 'ca', tls.ca, baseDir, ca);
  return { ca };
}

/** A server whose certificate can be swapped in place (https.Server and tls.Server are). */
export interface SecureContextHolder {
  setSecureContext(options: SecureContextOptions): void;
}

/**
 * Re-read a running listener's `tls` files and swap them in: connections
 * open now keep the certificate they were made with, new ones get the new
 * one; nothing is rebound. Rejects (and changes nothing) when a file is bad.
 */
export async function reloadServerTlsFiles(
  server: SecureContextHolder,
  tls: ServerTlsFiles,
  baseDir: string,
  label: string,
): Promise<void> {
  const material = await loadServerTlsFiles(tls, baseDir, label);
  server.setSecureContext(material);
}

/**
 * fastify's `https` option for a listener: the files, and `requestTimeout`
 * as the handshake deadline too, since HTTP only sees (and times) a TLS
 * connection once its handshake is done. Node reads it at construction.
 */
export function httpsServerOptions(
  material: ServerTlsMaterial,
  requestTimeout: number,
): ServerTlsMaterial & { handshakeTimeout: number } {
  return { ...material, handshakeTimeout: requestTimeout };
}
