import {
  createAdapterContext,
  diffAdapterConfigs,
  redactUrl,
  type Adapter,
  type AdapterContextSource,
  type AdapterKind,
  type AdapterEntry,
  type AdapterPeer,
  type AdapterStatus,
  type AnyAdapterConfig,
  type Logger,
} from '@onebot-gateway/core';
import type { AdapterFactoryLoader, AdapterFactoryOptions } from './adapter-factories.js';
import { adapterExposureWarning } from './exposure.js';
import { ADAPTER_STOP_LIMIT_MS } from './shutdown-budget.js';
import { isPlainObject, settleWithin } from '@onebot-gateway/core/internal';

/** What the admin API and the metrics show for one configured adapter. Never holds a token. */
export interface AdapterReport {
  name: string;
  kind: AdapterKind;
  enable: boolean;
  /** `disabled` for `enable: false`, else the adapter's own state (`failed` when it could not start). */
  status: string;
  address?: string;
  url?: string;
  connections: number;
  eventsSent: number;
  actionsHandled: number;
  errors: number;
  lastError?: string;
  /** Its open connections (remote address, role, since), oldest first, as the adapter lists them. */
  peers?: AdapterPeer[];
  /** A client waiting to reconnect: when its next attempt is due (ISO 8601). */
  nextRetryAt?: string;
  /** A running adapter that works only in part says why (a NATS bridge holding events through an outage). */
  degraded?: string;
  /** A NATS bridge's counters (published, buffered, dropped): what it holds is part of its status. */
  nats?: Record<string, unknown>;
}

interface Managed {
  kind: AdapterKind;
  config: AnyAdapterConfig;
  adapter: Adapter | undefined;
  /** Why it could not start; cleared when it runs. */
  failure: string | undefined;
}

/** What one apply did, by adapter name. A new entry that is disabled counts as stopped (it is not running). */
export interface ApplyResult {
  started: string[];
  stopped: string[];
  reloaded: string[];
  unchanged: string[];
  failed: string[];
  /** Why each adapter of `failed` could not start. */
  reasons: Record<string, string>;
}

export interface AdapterSupervisor {
  /** Bring the running set in line with `entries`, by name. Never rejects: failures are recorded per adapter. */
  apply(entries: AdapterEntry[]): Promise<ApplyResult>;
  reports(): AdapterReport[];
  /**
   * Re-read the TLS files of the running adapters that serve TLS (all, or
   * those named), each in turn; a bad file keeps that adapter's running
   * certificate and is returned (and logged) by adapter name.
   */
  reloadTls(names?: readonly string[]): Promise<TlsReloadResult>;
  stopAll(): Promise<void>;
}

/** What a TLS re-read did, by listener name. */
export interface TlsReloadResult {
  reloaded: string[];
  failed: Record<string, string>;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTlsEntry(config: AnyAdapterConfig): boolean {
  return typeof config.tls === 'object' && config.tls !== null && config.enable;
}

/** Where, and whether over TLS: the one start line of an adapter (adapters log no "listening on" of their own). */
function where(status: AdapterStatus, config: AnyAdapterConfig): string {
  if (status.address) return `listening on ${status.address}${isTlsEntry(config) ? ' (TLS)' : ''}`;
  if (status.url) return `targeting ${redactUrl(status.url)}`;
  return 'running';
}

/** Where the adapter listens or connects: what it reports, else what its entry asks for (a failed adapter). */
function configuredTarget(
  config: AnyAdapterConfig,
  address: string | undefined,
  url: string | undefined,
): { address?: string; url?: string } {
  const target: { address?: string; url?: string } = {};
  const configuredAddress =
    typeof config.host === 'string' && config.port !== undefined
      ? `${config.host}:${String(config.port)}`
      : undefined;
  const chosenAddress = address ?? configuredAddress;
  const chosenUrl = url ?? (typeof config.url === 'string' ? config.url : undefined);
  if (chosenAddress) target.address = chosenAddress;
  if (chosenUrl) target.url = redactUrl(chosenUrl);
  return target;
}

export function createAdapterSupervisor(
  factories: Record<AdapterKind, AdapterFactoryLoader>,
  source: AdapterContextSource & { logger: Logger },
  factoryOptions: AdapterFactoryOptions,
): AdapterSupervisor {
  const managed = new Map<string, Managed>();
  const log = source.logger;

  async function startOne(kind: AdapterKind, config: AnyAdapterConfig): Promise<Managed> {
    const entry: Managed = { kind, config, adapter: undefined, failure: undefined };
    managed.set(config.name, entry);
    if (!config.enable) return entry;
    const ownStopTimeout = Number((config as { stopTimeout?: unknown }).stopTimeout);
    if (ownStopTimeout > ADAPTER_STOP_LIMIT_MS) {
      log.warn(
        { adapter: config.name, kind },
        `${config.name}: stopTimeout ${ownStopTimeout} ms is longer than the gateway gives an adapter to stop (${ADAPTER_STOP_LIMIT_MS} ms); shutdown will not wait for all of it`,
      );
    }
    try {
      const factory = await factories[kind]();
      entry.adapter = factory(config, createAdapterContext(source, config.name), factoryOptions);
      await entry.adapter.start();
      const status = entry.adapter.status();
      log.info(
        { adapter: config.name, kind, ...(status.address ? { address: status.address } : {}) },
        `${config.name} (${kind}): ${where(status, config)}`,
      );
      warnIfExposed(kind, config, entry.adapter);
    } catch (error) {
      entry.failure = reasonOf(error);
      log.error({ adapter: config.name, kind }, `${config.name} (${kind}) failed to start: ${entry.failure}`);
      // Release whatever it managed to open before failing.
      await stopQuietly(entry);
    }
    return entry;
  }

  function warnIfExposed(kind: AdapterKind, config: AnyAdapterConfig, adapter: Adapter): void {
    const warning = adapterExposureWarning(kind, config, adapter.status().address);
    if (warning) log.warn({ adapter: config.name, kind }, warning);
  }

  async function stopQuietly(entry: Managed): Promise<void> {
    const adapter = entry.adapter;
    if (!adapter) return;
    try {
      const outcome = await settleWithin(adapter.stop(), ADAPTER_STOP_LIMIT_MS);
      if (!outcome.settled) {
        log.warn(
          { adapter: adapter.name },
          `${adapter.name} did not stop within ${ADAPTER_STOP_LIMIT_MS} ms; moving on`,
        );
      }
    } catch (error) {
      log.warn({ adapter: adapter.name }, `${adapter.name} failed to stop cleanly: ${reasonOf(error)}`);
    }
  }

  async function stopAndForget(name: string): Promise<void> {
    const entry = managed.get(name);
    if (!entry) return;
    managed.delete(name);
    await stopQuietly(entry);
    if (entry.adapter) log.info({ adapter: name }, `${name} stopped`);
  }

  async function update(
    entry: Managed,
    kind: AdapterKind,
    config: AnyAdapterConfig,
    result: ApplyResult,
  ): Promise<void> {
    const running = entry.adapter !== undefined && entry.failure === undefined;
    // Reload in place only when it keeps the same kind and stays enabled;
    // everything else is a stop and a fresh start.
    if (running && entry.kind === kind && entry.config.enable && config.enable) {
      try {
        const previous = entry.config;
        await entry.adapter!.reload(config);
        entry.config = config;
        // Warn again only when the reload is what exposed it (another host, or the token removed).
        if (
          adapterExposureWarning(kind, previous, undefined) === undefined ||
          previous.host !== config.host
        ) {
          warnIfExposed(kind, config, entry.adapter!);
        }
        result.reloaded.push(config.name);
        log.info(
          { adapter: config.name },
          `${config.name} reloaded: ${where(entry.adapter!.status(), config)}`,
        );
        return;
      } catch (error) {
        log.warn(
          { adapter: config.name },
          `${config.name} could not reload in place (${reasonOf(error)}); restarting it`,
        );
      }
    }
    await stopAndForget(config.name);
    record(result, config.name, await startOne(kind, config));
  }

  function record(result: ApplyResult, name: string, entry: Managed): void {
    if (entry.failure) {
      result.failed.push(name);
      result.reasons[name] = entry.failure;
    } else if (entry.config.enable) result.started.push(name);
    else result.stopped.push(name);
  }

  return {
    async apply(entries) {
      const result: ApplyResult = {
        started: [],
        stopped: [],
        reloaded: [],
        unchanged: [],
        failed: [],
        reasons: {},
      };
      const previous = [...managed.values()].map(({ kind, config }) => ({ kind, config }) as AdapterEntry);
      const diff = diffAdapterConfigs(previous, entries);
      // Removals first: an entry that changed kind under the same name is a removal plus an addition.
      await Promise.all(diff.removed.map(({ config }) => stopAndForget(config.name)));
      result.stopped.push(...diff.removed.map(({ config }) => config.name));
      result.unchanged.push(...diff.unchanged.map(({ config }) => config.name));
      await Promise.all([
        ...diff.added.map(async ({ kind, config }) =>
          record(result, config.name, await startOne(kind, config)),
        ),
        ...diff.changed.map(async ({ kind, name, next }) => {
          const current = managed.get(name);
          if (current) await update(current, kind, next, result);
        }),
      ]);
      return result;
    },
    reports() {
      return [...managed.values()].map(({ kind, config, adapter, failure }): AdapterReport => {
        const status = adapter?.status();
        const lastError = failure ?? status?.lastError;
        return {
          name: config.name,
          kind,
          enable: config.enable,
          status: !config.enable ? 'disabled' : failure ? 'failed' : (status?.state ?? 'idle'),
          ...configuredTarget(config, status?.address, status?.url),
          connections: status?.connections ?? 0,
          eventsSent: status?.eventsSent ?? 0,
          actionsHandled: status?.actionsHandled ?? 0,
          errors: (status?.errors ?? 0) + (failure ? 1 : 0),
          ...(lastError ? { lastError } : {}),
          ...(Array.isArray(status?.peers) && config.enable && !failure ? { peers: status.peers } : {}),
          ...(typeof status?.nextRetryAt === 'string' && config.enable && !failure
            ? { nextRetryAt: status.nextRetryAt }
            : {}),
          ...(typeof status?.degraded === 'string' ? { degraded: status.degraded } : {}),
          ...(isPlainObject(status?.nats) ? { nats: status.nats } : {}),
        };
      });
    },
    async reloadTls(names) {
      const result: TlsReloadResult = { reloaded: [], failed: {} };
      for (const [name, entry] of managed) {
        const adapter = entry.adapter;
        if (names !== undefined && !names.includes(name)) continue;
        if (!adapter?.reloadTls || entry.failure !== undefined || !isTlsEntry(entry.config)) continue;
        try {
          await adapter.reloadTls();
          result.reloaded.push(name);
        } catch (error) {
          result.failed[name] = reasonOf(error);
          log.error({ adapter: name }, `${reasonOf(error)}; the running certificate stays`);
        }
      }
      return result;
    },
    async stopAll() {
      await Promise.all([...managed.keys()].map((name) => stopAndForget(name)));
    },
  };
}
