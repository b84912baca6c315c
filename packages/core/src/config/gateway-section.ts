import {
  bytes,
  count,
  flag,
  isPlainObject,
  milliseconds,
  oneOf,
  port,
  serverTlsFiles,
  text,
  textList,
  url,
  type ConfigField,
} from './fields.js';
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
const adminFields: { readonly [P in AdminKey]: ConfigField } = {
  enable: flag(true),
  host: text('127.0.0.1'),
  port: port(6099),
  token: text(''),
  allowedHosts: textList(),
  allowInsecure: flag(false),
  maxConnections: count(64, 1),
  tls: serverTlsFiles(),
};

type UpstreamKey = 'url' | 'token' | 'timeout' | 'reconnectInterval' | 'maxBufferedBytes';
const upstreamFields: { readonly [P in UpstreamKey]: ConfigField } = {
  url: url(undefined, ['ws:', 'wss:'], 'always'),
  token: text(''),
  timeout: milliseconds(30_000, 1),
  reconnectInterval: milliseconds(5000, 1),
  maxBufferedBytes: bytes(16 * 1024 * 1024),
};

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const sectionFields = { logLevel: oneOf('info', logLevels) };

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
    ...resolveFields(section, sectionFields, 'gateway', problems),
    backend: resolveBackend(section['backend'], problems),
    admin: resolveAdmin(section['admin'], problems),
    rateLimit: resolveRateLimit(section['rateLimit'], problems),
  } as GatewaySection;
}
