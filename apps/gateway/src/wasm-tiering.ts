import { setFlagsFromString } from 'node:v8';

/**
 * The WebAssembly tier-up budget the gateway's process runs with: the largest
 * value V8 takes (a 32-bit int).
 *
 * Why: the http-client's HTTP client (undici) parses every reply with llhttp
 * compiled to WebAssembly. V8 first runs it from its baseline compiler and
 * optimises a function once it has spent the "tiering budget"; llhttp's main
 * parse function spends V8's default budget on the first reply, and
 * optimising it takes about 160 ms of a background thread and a 40 MiB burst
 * of compiler memory, which glibc's malloc often keeps. That one compile was
 * most of the difference between a gateway idling at 70 MiB and one at 80.
 * With this budget llhttp is optimised after roughly a thousand replies: a
 * busy http-client within seconds, a quiet gateway never. Measured in the
 * gateway README ("Memory at idle").
 */
export const GATEWAY_WASM_TIERING_BUDGET = 2_147_483_647;

const budgetFlag = /^--wasm[-_]tiering[-_]budget(=|$)/;

/**
 * Raise V8's WebAssembly tier-up budget for this process, unless node was
 * started with its own `--wasm-tiering-budget` (the operator's choice wins).
 * It applies to WebAssembly instantiated afterwards, plugins' included: hot
 * code is still optimised, later. Returns whether it changed the flag.
 */
export function deferWasmOptimisation(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => budgetFlag.test(arg))) return false;
  setFlagsFromString(`--wasm-tiering-budget=${GATEWAY_WASM_TIERING_BUDGET}`);
  return true;
}
