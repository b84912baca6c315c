import {
  bytes,
  count,
  describe,
  flag,
  isPlainObject,
  milliseconds,
  oneOf,
  port,
  text,
  textList,
  url,
  type ConfigField,
} from './fields.js';
import { serverTlsFiles } from './object-fields.js';
import { secret } from './secret-field.js';
import { describeValue, type ConfigProblem } from './problems.js';
import { resolveFields } from './resolve-fields.js';
import { resolveRateLimit } from './rate-limit-section.js';
import type {
  AdminConfig,
  GatewaySection,
  NatsBackendConfig,
  SandboxBackendConfig,
  UpstreamBackendConfig,
} from './types.js';
import { natsBackendFields } from './nats-backend-fields.js';

/**
 * The `gateway` section: this project's own settings, which NapCat files
 * don't have (so every key has a default and a NapCat file loads as is).
 */

type AdminKey =
  'enable' | 'host' | 'port' | 'token' | 'allowedHosts' | 'allowInsecure' | 'maxConnections' | 'tls';
/** The `gateway.admin` table (also read by the schema). */
export const adminFields: { readonly [P in AdminKey]: ConfigField } = {
  enable: describe(flag(true), 'Run the admin API (health, status, metrics, config, dashboard).'),
  host: describe(text('127.0.0.1'), 'Admin API address; a non-loopback one needs a token.'),
  port: describe(port(6099), 'Admin API port (0 = any free port).'),
  token: secret('Admin API token; "" = no auth (then only a loopback address, unless allowInsecure).'),
  allowedHosts: describe(
    textList(),
    'Extra Host names a loopback admin API answers ("dash.lan" any port, "dash.lan:8080" one), e.g. behind a proxy.',
  ),
  allowInsecure: describe(
    flag(false),
    'Start a token-less admin API on a non-loopback address anyway, with a warning.',
  ),
  maxConnections: describe(count(64, 1), 'Open connections at once on the admin API.'),
  tls: describe(serverTlsFiles(), 'Serve the admin API on https://: {cert, key, ca?} PEM file paths.'),
};

type UpstreamKey = 'url' | 'token' | 'timeout' | 'reconnectInterval' | 'maxBufferedBytes';
export const upstreamFields: { readonly [P in UpstreamKey]: ConfigField } = {
  url: describe(
    url(undefined, ['ws:', 'wss:'], 'always'),
    'Forward WebSocket of the implementation (NapCat, Lagrange ...): ws:// or wss://.',
  ),
  token: secret('The implementation\'s access token, sent as "Authorization: Bearer <token>".'),
  timeout: describe(milliseconds(30_000, 1), 'Milliseconds an action waits for the upstream.'),
  reconnectInterval: describe(
    milliseconds(5000, 1),
    'Milliseconds between reconnects, plus up to 10 % (at most 1 s) of jitter.',
  ),
  maxBufferedBytes: describe(
    bytes(16 * 1024 * 1024),
    'Unsent bytes to the upstream past which actions answer 1429 instead of queueing.',
  ),
};

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const gatewaySectionFields = {
  logLevel: describe(oneOf('info', logLevels), 'Log level of the gateway and its adapters.'),
};

function resolveBackend(
  raw: unknown,
  problems: ConfigProblem[],
): SandboxBackendConfig | UpstreamBackendConfig | NatsBackendConfig {
  const path = 'gateway.backend';
  if (raw === undefined || raw === null) return { type: 'sandbox' };
  if (!isPlainObject(raw)) {
    problems.push({
      path,
      message: `expected an object like {"type": "sandbox"}, got ${describeValue(raw)}`,
    });
    return { type: 'sandbox' };
  }
  const type = raw['type'] ?? (raw['url'] === undefined ? 'sandbox' : undefined);
  if (type === 'sandbox') {
    // The sandbox reads its own world settings from this object: keep them as they are.
    return { ...raw, type: 'sandbox' };
  }
  if (type === 'upstream') {
    return resolveFields(raw, upstreamFields, path, problems) as UpstreamBackendConfig;
  }
  if (type === 'nats') {
    return resolveFields(raw, natsBackendFields, path, problems) as NatsBackendConfig;
  }
  const hint =
    type === undefined
      ? 'is missing (a "url" is set: did you mean "upstream"?)'
      : `got ${describeValue(type)}`;
  problems.push({ path: `${path}.type`, message: `expected "sandbox", "upstream" or "nats", ${hint}` });
  return { type: 'sandbox' };
}

function resolveAdmin(raw: unknown, problems: ConfigProblem[]): AdminConfig {
  const path = 'gateway.admin';
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    problems.push({ path, message: `expected an object, got ${describeValue(raw)}` });
    raw = undefined;
  }
  return resolveFields(isPlainObject(raw) ? raw : {}, adminFields, path, problems) as unknown as AdminConfig;
}

export function resolveGatewaySection(raw: unknown, problems: ConfigProblem[]): GatewaySection {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    problems.push({ path: 'gateway', message: `expected an object, got ${describeValue(raw)}` });
    raw = undefined;
  }
  const section = isPlainObject(raw) ? raw : {};
  return {
    ...resolveFields(section, gatewaySectionFields, 'gateway', problems),
    backend: resolveBackend(section['backend'], problems),
    admin: resolveAdmin(section['admin'], problems),
    rateLimit: resolveRateLimit(section['rateLimit'], problems),
  } as GatewaySection;
}
