import {
  parseConfig,
  resolveConfig,
  type AdapterFieldTables,
  type GatewayConfig,
} from '@onebot-gateway/core';
import { httpClientConfigFields } from '@onebot-gateway/http-client/config-fields';
import { httpServerConfigFields } from '@onebot-gateway/http-server/config-fields';
import { pluginConfigFields } from '@onebot-gateway/plugin/config-fields';
import { sseServerConfigFields } from '@onebot-gateway/sse-server/config-fields';
import { wsClientConfigFields } from '@onebot-gateway/ws-client/config-fields';

/**
 * Every adapter package's own keys, by kind, composed here so a config file
 * is validated (and described in the JSON Schema) whole. Each table is a
 * small module of its package importing only core, so loading them costs
 * nothing of the adapters themselves (those load only when a kind runs).
 */
export const gatewayAdapterFields: AdapterFieldTables = {
  httpServers: httpServerConfigFields,
  httpSseServers: sseServerConfigFields,
  httpClients: httpClientConfigFields,
  websocketClients: wsClientConfigFields,
  plugins: pluginConfigFields,
};

/** Core's parser with every package's own keys: the one way the gateway reads a config file. */
export function parseGatewayConfig(text: string, fileName: string): GatewayConfig {
  return parseConfig(text, { fileName, adapterFields: gatewayAdapterFields });
}

/** The same for an already-parsed object (a config handed to `startGateway`). */
export function resolveGatewayConfig(raw: unknown, fileName: string): GatewayConfig {
  return resolveConfig(raw, { fileName, adapterFields: gatewayAdapterFields });
}
