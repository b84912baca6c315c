import type { ConfigProblem } from '@onebot-gateway/core';

/** Where a subcommand writes; the CLI passes the process streams, a test can pass buffers. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** One problem per line, `  path: message` (a problem of the whole file has no path). */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(({ path, message }) => `  ${path === '' ? '' : `${path}: `}${message}\n`).join('');
}
