import { runCheck } from './check.js';
import { processIo } from './command-io.js';
import { runInit } from './init.js';
import { runSchema } from './schema.js';

/** Subcommands by their first argument; anything else runs the gateway. */
const subcommands = new Map([
  ['init', runInit],
  ['check', runCheck],
  ['schema', runSchema],
]);

/** The subcommand `argv` names (bound to its arguments and the process streams), or undefined. */
export function subcommandOf(argv: readonly string[]): (() => Promise<number>) | undefined {
  const run = subcommands.get(argv[0] ?? '');
  return run && (() => run(argv.slice(1), processIo));
}
