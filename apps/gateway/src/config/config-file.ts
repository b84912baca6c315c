import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { defaultConfigText, type GatewayConfig, type Logger } from '@onebot-gateway/core';
import { parseGatewayConfig } from './adapter-fields.js';

export interface LoadedConfig {
  config: GatewayConfig;
  /** The exact text it came from, so an unchanged save is not re-applied. */
  text: string;
}

/** Read and validate the config file; throws a OneBotError naming the file and key. */
export async function readConfigFile(path: string): Promise<LoadedConfig> {
  const text = await readFile(path, 'utf8');
  return { config: parseGatewayConfig(text, basename(path)), text };
}

/** Create the file with the documented defaults when it does not exist. True when it did. */
export async function ensureConfigFile(path: string, logger: Logger): Promise<boolean> {
  try {
    await writeFile(path, defaultConfigText(), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true });
    return ensureConfigFile(path, logger);
  }
  logger.info(
    { configPath: path },
    `created ${path} with the default configuration (sandbox backend, http-server 127.0.0.1:3000, websocket-server 127.0.0.1:3001, admin API 127.0.0.1:6099); edit it and the gateway reloads`,
  );
  return true;
}
