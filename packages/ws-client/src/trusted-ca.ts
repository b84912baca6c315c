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

/** The CA list the next connection uses, read at start, reload and reloadTls(). */
export interface TrustedCaHolder {
  readonly list: string[] | undefined;
  /**
   * Read `tls.ca` again. Without `tls` nothing is awaited (the list is
   * cleared at once), so a start or reload without it keeps its timing.
   * Rejects, keeping the old list, on a bad file.
   */
  load(config: WsClientOptions): Promise<void> | undefined;
}

export function createTrustedCaHolder(baseDir: string): TrustedCaHolder {
  let list: string[] | undefined;
  return {
    get list() {
      return list;
    },
    load(config) {
      if (config.tls === undefined) {
        list = undefined;
        return undefined;
      }
      return loadTrustedCa(config, baseDir).then((loaded) => {
        list = loaded;
      });
    },
  };
}
