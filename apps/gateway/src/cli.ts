#!/usr/bin/env node
import { parseCliArgs, usage, type CliArgs } from './cli-args.js';
import { subcommandOf } from './commands/dispatch.js';
import { createGatewayLogger } from './logger.js';
import { startGateway, type GatewayHandle } from './gateway.js';
import type { Logger } from '@onebot-gateway/core';
import { SHUTDOWN_DEADLINE_MS } from './shutdown-budget.js';
import { gatewayVersion } from './version.js';
import { deferWasmOptimisation } from './wasm-tiering.js';

function readArgs(): CliArgs {
  try {
    return parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`onebot-gateway: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * SIGHUP re-reads the TLS files of every running TLS listener (certificate
 * rotation, e.g. from a certbot deploy hook) without dropping connections.
 * It does not reload the config file: the watcher applies that on save.
 * Without this handler SIGHUP would kill the process.
 */
function reloadTlsOnSighup(running: () => GatewayHandle | undefined, logger: Logger): void {
  process.on('SIGHUP', () => {
    const gateway = running();
    if (gateway === undefined) {
      logger.warn('SIGHUP received while starting: nothing to re-read yet');
      return;
    }
    logger.info('SIGHUP received: re-reading TLS files');
    // reloadTls logs every outcome and never rejects for a bad file; this catch is for the unexpected.
    gateway.reloadTls().catch((error: unknown) => {
      logger.error(`SIGHUP: re-reading TLS files failed: ${(error as Error).message}`);
    });
  });
}

async function main(): Promise<void> {
  const subcommand = subcommandOf(process.argv.slice(2));
  if (subcommand) {
    process.exitCode = await subcommand();
    return;
  }
  const args = readArgs();
  if (args.help) {
    process.stdout.write(usage);
    return;
  }
  if (args.version) {
    process.stdout.write(`${gatewayVersion()}\n`);
    return;
  }

  // Before any adapter loads: undici instantiates its WebAssembly parser on the http-client's first connection.
  deferWasmOptimisation();
  const logger = await createGatewayLogger();
  let gateway: GatewayHandle | undefined;
  let shuttingDown = false;

  // Handlers go in before anything starts: a signal during startup (or right
  // after the "is up" line) still means a graceful stop, never a hard kill.
  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    shuttingDown = true;
    logger.info(`${signal} received: shutting down (at most ${SHUTDOWN_DEADLINE_MS / 1000} s)`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // During startup there is nothing to stop yet: startup sees the flag and stops what it made.
    if (gateway) void stopAndExit(gateway);
  };
  const stopAndExit = async (running: GatewayHandle): Promise<void> => {
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  reloadTlsOnSighup(() => (shuttingDown ? undefined : gateway), logger);

  try {
    gateway = await startGateway({ configPath: args.configPath, logger });
  } catch (error) {
    const message = (error as Error).message;
    logger.fatal(`cannot start: ${message}`);
    process.stderr.write(`onebot-gateway: cannot start: ${message}\n`);
    process.exit(1);
  }
  if (shuttingDown) {
    await stopAndExit(gateway);
    return;
  }
  const health = gateway.health();
  if (health.healthy) logger.info(`onebot-gateway ${gatewayVersion()} is up`);
  else logger.warn(`onebot-gateway ${gatewayVersion()} is up, degraded: ${health.reasons.join('; ')}`);
}

void main();
