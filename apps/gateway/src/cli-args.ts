import { parseArgs } from 'node:util';

export interface CliArgs {
  configPath: string;
  help: boolean;
  version: boolean;
}

export const usage = `Usage: onebot-gateway [--config <file>]
       onebot-gateway init [--sandbox | --relay <url>] [--config <file>] [--force]
       onebot-gateway check [--config <file>]
       onebot-gateway schema [config | actions]

Runs the OneBot 11 gateway: every adapter of the config file, a sandbox or
upstream backend, and the admin API. The file is created with defaults when
it does not exist, and watched: saved changes are applied without a restart.

Options:
  -c, --config <file>  config file (default: config/onebot11.json, relative to the current folder)
  -h, --help           show this help
  -v, --version        print the version

Commands (\`<command> --help\` for their options):
  init                 write a commented starting config (sandbox or relay)
  check                validate a config file and list every problem with its path
  schema               print the JSON Schema of the config file (or of every action)
`;

/** Parse argv; throws a readable error for an unknown option. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    allowPositionals: false,
  });
  return {
    configPath: values.config ?? 'config/onebot11.json',
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
