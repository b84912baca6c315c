import type {
  AccountSendLimitStatus,
  Backend,
  ConfigProblem,
  GatewayConfig,
  Logger,
} from '@onebot-gateway/core';
import type { AdapterReport, ApplyResult, TlsReloadResult } from './adapter-supervisor.js';
import type { HealthReport } from './admin/admin-server.js';
import type { LogTap } from './log-tap.js';

// What startGateway (gateway.ts) takes and what its handle offers.

export interface StartGatewayOptions {
  /** Config file to load, create when missing, and watch. */
  configPath?: string;
  /** An in-memory config (validated like a file); used when no `configPath` is given. */
  config?: unknown;
  logger?: Logger;
  /** Watch `configPath` for changes. Default true when a path is given. */
  watch?: boolean;
  /** Create `configPath` with the defaults when it does not exist. Default true. */
  createMissing?: boolean;
  /** Log lines for the admin API's `/api/logs`; default: the tap of a logger made by createGatewayLogger. */
  logTap?: LogTap;
}

/**
 * What a config file replacement did: nothing (problems, or the file changed
 * on disk since the gateway last loaded or saved it; the file untouched) or
 * written and applied.
 */
export type ConfigReplacement =
  | { ok: false; problems: ConfigProblem[] }
  | { ok: false; changedOnDisk: string }
  | {
      ok: true;
      result: ApplyResult;
      /** Saved keys that only apply on the next start (`gateway.backend`, `gateway.admin`). */
      restartRequired: string[];
    };

/** The running config file, as the admin API reads and replaces it. */
export interface GatewayConfigFile {
  readonly path: string;
  /** The text of the running file: the last one loaded, applied or written. */
  text(): string;
  /**
   * Run `build` on the running text (in turn with reloads and other
   * replacements), validate what it returns like the watcher would, write
   * it atomically (with a .bak of the previous file) and apply it.
   */
  replace(
    build: (currentText: string) => { config: unknown; problems: ConfigProblem[] },
  ): Promise<ConfigReplacement>;
}

export interface GatewayHandle {
  config(): GatewayConfig;
  adapters(): AdapterReport[];
  health(): HealthReport;
  /** The send rate limit per account (`gateway.rateLimit`): rate, calls waiting, totals. */
  rateLimits(): AccountSendLimitStatus[];
  backend(): Backend;
  /** `host:port` of the admin API, when it runs. */
  adminAddress(): string | undefined;
  /** Apply a new config by adapter name. Throws (and changes nothing) when it is invalid, `gateway.backend` included. */
  applyConfig(config: unknown): Promise<ApplyResult>;
  /** Re-read the config file and apply it; an invalid file is logged and ignored. */
  reloadFromFile(): Promise<ApplyResult | undefined>;
  /**
   * Re-read the TLS files of every running TLS listener, the admin API's
   * included (SIGHUP; certificate rotation). New connections get the new
   * certificate, open ones stay; a bad file keeps that listener's running
   * one and is logged and returned by name (`admin API` for the admin API).
   */
  reloadTls(): Promise<TlsReloadResult>;
  /** The config file (undefined for an in-memory config). */
  configFile(): GatewayConfigFile | undefined;
  /** Stop everything: adapters (they post/close what they must), backend, admin API. Idempotent. */
  stop(): Promise<void>;
}
