import { parseArgs } from 'node:util';
import { buildGatewayActionSchemas, buildGatewayConfigSchema } from '../schema/gateway-schema.js';
import type { CommandIo } from './command-io.js';

export const schemaUsage = `Usage: onebot-gateway schema [config | actions]

Prints a JSON Schema (draft-07) on stdout:
  config   (the default) the whole config file: network and gateway sections,
           with every option's default, range and description. Point your
           editor at it for completion and checks of onebot11.json:
             onebot-gateway schema > onebot11.schema.json
           then add "$schema": "./onebot11.schema.json" to the config file.
  actions  every action the gateway knows: its description, params and result.

Options:
  -h, --help  show this help
`;

/** `onebot-gateway schema`: returns the exit code. */
export async function runSchema(argv: string[], io: CommandIo): Promise<number> {
  let what: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    if (values.help) {
      io.stdout(schemaUsage);
      return 0;
    }
    if (positionals.length > 1) throw new Error(`one argument at most, got ${positionals.length}`);
    what = positionals[0] ?? 'config';
    if (what !== 'config' && what !== 'actions') {
      throw new Error(`unknown schema ${JSON.stringify(what)}: expected "config" or "actions"`);
    }
  } catch (error) {
    io.stderr(`onebot-gateway schema: ${(error as Error).message}\n\n${schemaUsage}`);
    return 2;
  }
  const schema = what === 'actions' ? await buildGatewayActionSchemas() : await buildGatewayConfigSchema();
  io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
