import { readFile } from 'node:fs/promises';
import { OneBotError } from '../errors.js';
import { parseConfig } from './parse-config.js';
import type { GatewayConfig } from './types.js';

const readFailures: Record<string, string> = {
  ENOENT: 'not found; check the path, or create the file (a NapCat onebot11.json works as is)',
  EISDIR: 'is a directory, not a file; point at the JSON file inside it',
  EACCES: 'cannot be read (permission denied); check the file permissions',
};

/** Read and parse a configuration file; errors name the file as it was given. */
export async function loadConfigFile(path: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    const reason = readFailures[code] ?? `cannot be read (${code})`;
    throw new OneBotError('CONFIG_INVALID', `config file ${path} ${reason}`, {
      cause: error,
      details: { file: path, reason: code, problems: [] },
    });
  }
  return parseConfig(text, { fileName: path });
}
