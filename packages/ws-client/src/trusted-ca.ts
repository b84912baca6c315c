import { loadClientTlsFiles } from '@onebot-gateway/core/internal';
import { rootCertificates } from 'node:tls';
import type { WsClientOptions } from './config.js';

/**
 * The CAs a wss:// connection trusts when the entry has `tls.ca`: the system
 * ones plus that file (node's `ca` option replaces the system list, so they
 * are added back). Undefined without `tls`: node's default applies.
 * Rejects with a reason naming the file when it is missing or not PEM.
 */
export async function loadTrustedCa(config: WsClientOptions, baseDir: string): Promise<string[] | undefined> {
  if (config.tls === undefined) return undefined;
  const { ca } = await loadClientTlsFiles(config.tls, baseDir, `websocket client "${config.name}"`);
  return [...rootCertificates, ca.toString('utf8')];
}
