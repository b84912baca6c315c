import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AdminConfig, Backend, Logger } from '@onebot-gateway/core';
import { OneBotError } from '@onebot-gateway/core';
import {
  openServerListener,
  schemaCompilersOnDemand,
  type ListenerHttpsOptions,
} from '@onebot-gateway/core/internal';
import { registerDashboard } from '@onebot-gateway/dashboard';
import type { AdapterReport } from '../adapter-supervisor.js';
import { gatewayVersion } from '../version.js';
import { adminExposureRefusal } from '../exposure.js';
import { adminAuthHook, registerSessionRoute } from './admin-auth.js';
import { createLoginLimiter } from './login-limiter.js';
import { adminHostGuardHook } from './host-guard.js';
import { adminOriginGuardHook } from './origin-guard.js';
import type { GatewayMetrics } from './metrics.js';
import { registerSandboxRoutes } from './sandbox-routes.js';
import { registerActionRoutes } from './action-routes.js';
import { registerConfigRoutes } from './config-routes.js';
import type { DashboardSources } from './dashboard-sources.js';
import { registerEventRoutes } from './event-routes.js';
import { registerLogRoutes } from './log-routes.js';
import { registerSandboxSnapshotRoutes } from './sandbox-snapshot-routes.js';
import { registerSchemaRoute } from './schema-route.js';

export interface AdminSources extends DashboardSources {
  reports(): AdapterReport[];
  backend(): Backend;
  logger: Logger;
}

export interface AdminServer {
  /** `host:port` it listens on (port 0 resolved; IPv6 in brackets, as a URL writes it). */
  address: string;
  /** `https` when `gateway.admin.tls` is set, else `http`. */
  scheme: 'http' | 'https';
  /** Re-read `gateway.admin.tls` for new connections (SIGHUP); rejects, keeping the running certificate, on a bad file. */
  reloadTls(): Promise<void>;
  close(): Promise<void>;
}

export interface AdminServerOptions {
  /** Folder that a relative `gateway.admin.tls` path starts from: the config file's. Default: the working directory. */
  baseDir?: string;
}

export interface HealthReport {
  healthy: boolean;
  /** One sentence per enabled adapter that is not running, the backend when offline, the admin API when it could not start. */
  reasons: string[];
}

export interface HealthInputs {
  /** Its `status().online === false` (an upstream relay that is disconnected) is a reason. */
  backend?: Backend;
  /** Why the admin API is not running, when it could not start: a sentence that names it. */
  adminFailure?: string;
}

function textAt(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path)
    current =
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** A sentence when the backend says it is offline; bots connected to the gateway then get only failures. */
function backendReason(backend: Backend): string | undefined {
  let status;
  try {
    status = backend.status();
  } catch (error) {
    return `backend "${backend.type}" cannot report its status: ${(error as Error).message}`;
  }
  if (status.online !== false) return undefined;
  const url = textAt(status, 'upstream', 'url');
  const why = textAt(status, 'lastError') ?? textAt(status, 'upstream', 'lastError');
  const connected = (status.upstream as { connected?: unknown } | undefined)?.connected;
  const state = connected === false ? 'not connected' : 'offline';
  return `backend "${backend.type}"${url ? ` (${url})` : ''} is ${state}${why ? `: ${why}` : ''}`;
}

export function healthOf(reports: AdapterReport[], inputs: HealthInputs = {}): HealthReport {
  const reasons = reports
    .filter((report) => report.enable && report.status !== 'running')
    .map(
      (report) =>
        `${report.name} (${report.kind}) is ${report.status}${report.lastError ? `: ${report.lastError}` : ''}`,
    );
  for (const report of reports) {
    if (report.enable && report.status === 'running' && report.degraded) {
      reasons.push(`${report.name} (${report.kind}) is degraded: ${report.degraded}`);
    }
  }
  const backend = inputs.backend === undefined ? undefined : backendReason(inputs.backend);
  if (backend) reasons.push(backend);
  if (inputs.adminFailure) reasons.push(inputs.adminFailure);
  return { healthy: reasons.length === 0, reasons };
}

const ADMIN_REQUEST_TIMEOUT_MS = 10_000;

/** The web dashboard at `/`; an unbuilt one (a source checkout before `pnpm build`) leaves the API running. */
function mountDashboard(app: FastifyInstance, logger: Logger): void {
  try {
    registerDashboard(app);
  } catch (error) {
    logger.warn(`dashboard not served: ${(error as Error).message}`);
  }
}

function buildApp(
  config: AdminConfig,
  sources: AdminSources,
  https: ListenerHttpsOptions | undefined,
): FastifyInstance {
  // forceCloseConnections: browsers pre-open idle connections, which would otherwise hold close() past the shutdown budget.
  // With `https` fastify makes an https.Server (setSecureContext() for SIGHUP); a variable, so it types as the http app.
  const serverOptions = {
    logger: false,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
    schemaController: schemaCompilersOnDemand<FastifyServerOptions['schemaController']>(import.meta.url),
    ...(https === undefined ? {} : { https }),
  };
  const app = Fastify(serverOptions);
  // Host first: a rebound page must not learn even whether a token is set.
  app.addHook('onRequest', adminHostGuardHook(config));
  const loginLimiter = createLoginLimiter();
  app.addHook('onRequest', adminAuthHook(config.token, loginLimiter));
  app.addHook('onRequest', adminOriginGuardHook(config.token, config.allowedHosts));

  app.get('/api/health', async (_request, reply) => {
    const reports = sources.reports();
    const backend = sources.backend();
    const health = healthOf(reports, { backend });
    await reply.code(health.healthy ? 200 : 503).send({
      status: health.healthy ? 'ok' : 'degraded',
      reasons: health.reasons,
      backend: { type: backend.type, selfId: backend.selfId(), status: backend.status() },
      adapters: reports.map(({ name, status }) => ({ name, status })),
      rateLimit: sources.rateLimits?.() ?? [],
    });
  });

  const adminLogger = sources.logger.child({ component: 'admin' });
  // The dashboard's action console: its calls count in the overview's actions/s like an adapter's.
  const adminActions = registerActionRoutes(app, sources, adminLogger);
  const version = gatewayVersion();
  app.get('/api/adapters', async () => {
    const backend = sources.backend();
    const memory = process.memoryUsage();
    return {
      adapters: sources.reports(),
      backend: { type: backend.type, selfId: backend.selfId(), status: backend.status() },
      // For the dashboard's overview; the process's, as the gateway runs in it.
      gateway: {
        version,
        uptimeSeconds: Math.round(process.uptime()),
        memory: { rss: memory.rss, heapUsed: memory.heapUsed },
        // Each event once (the bus counts it): the adapters' eventsSent count one per adapter it reached.
        eventsPublished: sources.eventsPublished?.() ?? 0,
      },
      // Actions run from the dashboard (POST /api/actions/:action), which no adapter counts.
      admin: { actionsHandled: adminActions.actionsHandled() },
    };
  });

  // prom-client is loaded on the first scrape: most gateways are never scraped.
  let metrics: Promise<GatewayMetrics> | undefined;
  app.get('/metrics', async (_request, reply) => {
    metrics ??= import('./metrics.js').then((m) =>
      m.createGatewayMetrics(sources.reports, () => sources.rateLimits?.() ?? []),
    );
    const { registry } = await metrics;
    await reply.header('content-type', registry.contentType).send(await registry.metrics());
  });

  registerSandboxRoutes(app, sources.backend, sources.logger.child({ component: 'admin' }));
  // The dashboard's routes (issue 11); its action route is above, beside /api/adapters, which counts its calls.
  registerConfigRoutes(app, sources);
  registerEventRoutes(app, sources, adminLogger);
  registerLogRoutes(app, sources, adminLogger);
  registerSandboxSnapshotRoutes(app, sources.backend);
  registerSchemaRoute(app);
  registerSessionRoute(app, config.token, loginLimiter);
  mountDashboard(app, adminLogger);
  return app;
}

/**
 * The admin API on `gateway.admin.host:port`; rejects with a clear error when
 * the port is taken, or when it would listen beyond loopback without a token
 * and `allowInsecure` is off (`details.refused: 'insecure'`).
 */
export async function startAdminServer(
  config: AdminConfig,
  sources: AdminSources,
  options: AdminServerOptions = {},
): Promise<AdminServer> {
  const refusal = adminExposureRefusal(config);
  if (refusal) throw new OneBotError('ADAPTER_START_FAILED', refusal, { details: { refused: 'insecure' } });
  // core's one listener: a bad TLS file fails the admin API alone, naming the file (the adapters keep
  // running); its own connection cap, apart from the adapters', so piled-up adapter connections never
  // lock the operator out; a taken port gives the same "could not listen on host:port" as an adapter's.
  const listener = await openServerListener({
    label: 'admin API',
    config: {
      host: config.host,
      port: config.port,
      tls: config.tls,
      maxConnections: config.maxConnections,
      requestTimeout: ADMIN_REQUEST_TIMEOUT_MS,
    },
    baseDir: options.baseDir ?? process.cwd(),
    logger: sources.logger,
    createApp: async (https) => buildApp(config, sources, https),
  });
  const adminTls = config.tls;
  return {
    address: listener.address,
    scheme: adminTls === undefined ? 'http' : 'https',
    reloadTls: async () => {
      if (adminTls !== undefined) await listener.reloadTls(adminTls);
    },
    close: () => listener.close(),
  };
}
