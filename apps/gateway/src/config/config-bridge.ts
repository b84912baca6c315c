import JSON5Placeholder from './json5-placeholder.js';
import { OneBotError, type AdapterKind, type AnyAdapterConfig, type GatewayConfig } from '@onebot-gateway/core';

// TEMPORARY: the core config loader (parseConfig, defaultConfigText,
// adapterEntries, diffAdapterConfigs) is being written in parallel; this file
// is the one place the gateway talks to it, so swapping is one edit.

export const adapterKinds: readonly AdapterKind[] = [
  'httpServers',
  'httpSseServers',
  'websocketServers',
  'httpClients',
  'websocketClients',
  'plugins',
];

export function parseConfig(text: string, fileName: string): GatewayConfig {
  let raw: unknown;
  try {
    raw = JSON5Placeholder.parse(text);
  } catch (error) {
    throw new OneBotError('CONFIG_INVALID', `${fileName}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const object = (raw ?? {}) as Record<string, unknown>;
  const network = (object.network ?? {}) as Record<string, unknown>;
  const gateway = (object.gateway ?? {}) as Record<string, unknown>;
  const admin = (gateway.admin ?? {}) as Record<string, unknown>;
  const resolved: Record<string, unknown[]> = {};
  for (const kind of adapterKinds) {
    const entries = (network[kind] ?? []) as Array<Record<string, unknown>>;
    resolved[kind] = entries.map((entry, index) => {
      if (entry.port !== undefined && !(Number.isInteger(Number(entry.port)) && Number(entry.port) >= 0 && Number(entry.port) <= 65535)) {
        throw new OneBotError('CONFIG_INVALID', `${fileName}: network.${kind}[${index}].port: expected an integer 1-65535, got ${JSON.stringify(entry.port)}`);
      }
      return { ...entry, name: String(entry.name ?? kind), enable: entry.enable === true || entry.enable === 'true', ...(entry.port !== undefined ? { port: Number(entry.port) } : {}) };
    });
  }
  return {
    ...object,
    network: resolved as never,
    gateway: {
      logLevel: 'info',
      ...gateway,
      backend: (gateway.backend ?? { type: 'sandbox' }) as never,
      admin: { enable: true, host: '127.0.0.1', port: 6099, token: '', ...admin } as never,
    },
  };
}

export function defaultConfigText(): string {
  return `${JSON.stringify(
    {
      network: {
        httpServers: [{ name: 'http-server', enable: true, host: '127.0.0.1', port: 3000, token: '' }],
        httpSseServers: [],
        websocketServers: [{ name: 'websocket-server', enable: true, host: '127.0.0.1', port: 3001, token: '' }],
        httpClients: [],
        websocketClients: [],
        plugins: [],
      },
      gateway: { backend: { type: 'sandbox' }, admin: { enable: true, host: '127.0.0.1', port: 6099, token: '' } },
    },
    null,
    2,
  )}\n`;
}

export interface AdapterEntry {
  kind: AdapterKind;
  config: AnyAdapterConfig;
}

export function adapterEntries(config: GatewayConfig): AdapterEntry[] {
  return adapterKinds.flatMap((kind) => (config.network[kind] ?? []).map((entry) => ({ kind, config: entry as AnyAdapterConfig })));
}
