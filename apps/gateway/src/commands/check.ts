import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterEntries, type ConfigProblem, type GatewayConfig } from '@onebot-gateway/core';
import { parseGatewayConfig } from '../config/adapter-fields.js';
import { validateBackendConfig } from '../backend-factories.js';
import { configProblemsOf } from '../config/config-problems.js';
import { formatProblems, type CommandIo } from './command-io.js';

export const checkUsage = `Usage: onebot-gateway check [--config <file>]

Validates a config file as the gateway would load it (every key, the backend)
and prints every problem with its path, without starting anything.

Options:
  -c, --config <file>  config file (default: config/onebot11.json, as for running)
  -h, --help           show this help

Exit codes: 0 valid, 1 invalid (or unreadable), 2 bad options.
`;

export type CheckResult = { ok: true; config: GatewayConfig } | { ok: false; problems: ConfigProblem[] };

/** Validate a config file's text: core's parser, then the backend check a start does. */
export async function checkConfigText(text: string, fileName: string): Promise<CheckResult> {
  let config: GatewayConfig;
  try {
    config = parseGatewayConfig(text, fileName);
  } catch (error) {
    return { ok: false, problems: configProblemsOf(error, '') };
  }
  try {
    await validateBackendConfig(config.gateway.backend);
  } catch (error) {
    return { ok: false, problems: configProblemsOf(error, 'gateway.backend') };
  }
  return { ok: true, config };
}

function describe(config: GatewayConfig): string {
  const { backend, admin } = config.gateway;
  const target = backend.type === 'upstream' ? `upstream ${String(backend.url)}` : backend.type;
  const enabled = adapterEntries(config).filter((entry) => entry.config.enable);
  const names = enabled.map((entry) => `${entry.config.name} (${entry.kind})`).join(', ');
  const adminText = admin.enable ? `admin API ${admin.host}:${admin.port}` : 'admin API off';
  return `${target} backend; ${enabled.length} adapter(s) enabled${names === '' ? '' : `: ${names}`}; ${adminText}`;
}

/** `onebot-gateway check`: returns the exit code. */
export async function runCheck(argv: string[], io: CommandIo): Promise<number> {
  let configPath: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(checkUsage);
      return 0;
    }
    configPath = values.config ?? 'config/onebot11.json';
  } catch (error) {
    io.stderr(`onebot-gateway check: ${(error as Error).message}\n\n${checkUsage}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : (error as Error).message;
    io.stdout(`${configPath}: cannot be read: ${reason}\n`);
    return 1;
  }
  const result = await checkConfigText(text, basename(configPath));
  if (result.ok) {
    io.stdout(`${configPath}: valid (${describe(result.config)})\n`);
    return 0;
  }
  const count = result.problems.length;
  io.stdout(`${configPath}: ${count} problem${count === 1 ? '' : 's'}\n${formatProblems(result.problems)}`);
  return 1;
}
