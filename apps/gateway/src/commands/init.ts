import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGatewayConfig } from '../config/adapter-fields.js';
import { configProblemsOf } from '../config/config-problems.js';
import { backupPathOf, writeConfigAtomically } from '../config/config-writer.js';
import { formatProblems, type CommandIo } from './command-io.js';
import {
  starterAdminHost,
  starterConfigText,
  starterPorts,
  type StarterConfigOptions,
} from './starter-config.js';

export const initUsage = `Usage: onebot-gateway init [--sandbox | --relay <ws://host:port> [--token <token>]] [options]

Writes a commented starting config (JSON5, every key explained) for one scenario:
  --sandbox                  a simulated QQ account, no account needed (the default)
  --relay <url>              a relay in front of NapCat, Lagrange, LLOneBot or go-cqhttp:
                             the forward WebSocket URL of that implementation (ws:// or wss://)
  --token <token>            the relay target's access token

Options:
  -c, --config <file>        where to write (default: onebot11.json in the current folder)
  -f, --force                replace an existing file (the previous one is kept as <file>.bak)
      --host <address>       listen address of every server adapter (default 127.0.0.1;
                             0.0.0.0 in a container); the admin API follows it only with --admin-token
      --access-token <token> token of every adapter entry (default: none)
      --admin-token <token>  admin API token (default: none)
  -h, --help                 show this help

Exit codes: 0 written, 1 not written (the file exists, or it cannot be written), 2 bad options.
`;

export interface InitArgs extends StarterConfigOptions {
  configPath: string;
  force: boolean;
  help: boolean;
}

/** Parse `init`'s options; throws a readable error for a bad combination. */
export function parseInitArgs(argv: string[]): InitArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      sandbox: { type: 'boolean' },
      relay: { type: 'string' },
      token: { type: 'string' },
      config: { type: 'string', short: 'c' },
      force: { type: 'boolean', short: 'f' },
      host: { type: 'string' },
      'access-token': { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.sandbox && values.relay !== undefined) {
    throw new Error('choose one scenario: --sandbox or --relay <url>, not both');
  }
  if (values.token !== undefined && values.relay === undefined) {
    throw new Error(
      "--token is the relay target's token: it needs --relay <url> (adapter tokens: --access-token)",
    );
  }
  return {
    configPath: values.config ?? 'onebot11.json',
    force: values.force ?? false,
    help: values.help ?? false,
    host: values.host ?? '127.0.0.1',
    accessToken: values['access-token'] ?? '',
    adminToken: values['admin-token'] ?? '',
    ...(values.relay === undefined ? {} : { relay: { url: values.relay, token: values.token ?? '' } }),
  };
}

/** What the file sets up, for the line printed after writing it (no tokens). */
function summary(args: InitArgs): string {
  const ports = starterPorts(args);
  const at = (port: number, host = args.host) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const scenario = args.relay ? `relay to ${args.relay.url}` : 'sandbox';
  return (
    `${scenario}; HTTP API ${at(ports.http)}, SSE ${at(ports.sse)}, WebSocket ${at(ports.ws)}, ` +
    `admin API ${at(ports.admin, starterAdminHost(args))}`
  );
}

async function writeNew(path: string, text: string): Promise<'written' | 'exists'> {
  await mkdir(dirname(path), { recursive: true });
  try {
    // 0600: the file may hold tokens.
    await writeFile(path, text, { flag: 'wx', mode: 0o600 });
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
}

/** `onebot-gateway init`: returns the exit code. */
export async function runInit(argv: string[], io: CommandIo): Promise<number> {
  let args: InitArgs;
  try {
    args = parseInitArgs(argv);
  } catch (error) {
    io.stderr(`onebot-gateway init: ${(error as Error).message}\n\n${initUsage}`);
    return 2;
  }
  if (args.help) {
    io.stdout(initUsage);
    return 0;
  }
  const path = resolve(args.configPath);
  const text = starterConfigText(args);
  // Never write a file the gateway would refuse (a relay URL that is not ws://, say): say why instead.
  try {
    parseGatewayConfig(text, basename(path));
  } catch (error) {
    io.stderr(
      `onebot-gateway init: nothing written; the options give an invalid config:\n${formatProblems(configProblemsOf(error, ''))}`,
    );
    return 2;
  }
  try {
    if (args.force) {
      await mkdir(dirname(path), { recursive: true });
      await writeConfigAtomically(path, text);
    } else if ((await writeNew(path, text)) === 'exists') {
      io.stderr(
        `onebot-gateway init: ${path} already exists; nothing written (--force replaces it and keeps the old one as ${basename(backupPathOf(path))})\n`,
      );
      return 1;
    }
  } catch (error) {
    io.stderr(`onebot-gateway init: cannot write ${path}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout(
    `wrote ${path} (${summary(args)})\n` +
      `check it:  onebot-gateway check --config ${args.configPath}\n` +
      `run it:    onebot-gateway --config ${args.configPath}\n`,
  );
  return 0;
}
