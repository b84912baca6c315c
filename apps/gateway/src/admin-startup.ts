import { OneBotError, type AdminConfig, type Logger } from '@onebot-gateway/core';
import {
  startAdminServer,
  type AdminServer,
  type AdminServerOptions,
  type AdminSources,
} from './admin/admin-server.js';
import { adminExposureWarning } from './exposure.js';

/** The admin API when `gateway.admin.enable` is on and it started; else why it did not, if it tried. */
export interface AdminStartup {
  admin?: AdminServer;
  adminFailure?: string;
}

/**
 * Start the admin API at gateway start. Like an adapter that cannot start,
 * a failure is reported (health, the startup line) and the rest keeps
 * running: this never rejects.
 */
export async function startAdminApi(
  config: AdminConfig,
  logger: Logger,
  options: AdminServerOptions,
  sources: AdminSources,
): Promise<AdminStartup> {
  if (!config.enable) return {};
  try {
    const admin = await startAdminServer(config, sources, options);
    logger.info(
      { admin: admin.address },
      `admin API on ${admin.scheme}://${admin.address} (dashboard: /, health: /api/health, adapters: /api/adapters, metrics: /metrics)`,
    );
    const exposed = adminExposureWarning(config, admin.address);
    if (exposed) logger.warn({ admin: admin.address }, exposed);
    return { admin };
  } catch (error) {
    const adminFailure = (error as Error).message;
    // A refusal or a bad TLS file already says how to fix it; a listen failure is most often NapCat's WebUI.
    const hint =
      error instanceof OneBotError &&
      (error.details?.['refused'] !== undefined || error.details?.['file'] !== undefined)
        ? ''
        : " (NapCat's WebUI also defaults to port 6099: set gateway.admin.port to another port, then restart)";
    logger.error({ err: error }, `${adminFailure}; the adapters keep running without it${hint}`);
    return { adminFailure };
  }
}
