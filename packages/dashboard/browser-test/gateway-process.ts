import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const repoRoot = new URL('../../../', import.meta.url).pathname;
export const CLI = join(repoRoot, 'apps/gateway/dist/cli.js');
const APP_INDEX = join(repoRoot, 'packages/dashboard/dist/app/index.html');

export interface RunningGateway {
  process: ChildProcess;
  /** `http://127.0.0.1:<port>` of the admin API and dashboard. */
  origin: string;
  configPath: string;
  lines: string[];
  stop(): Promise<void>;
}

/** A port that is free now (the OS picks it, then it is let go). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A listener that holds a port, so an adapter configured on it fails as it would in real life. */
export async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}

/** The real gateway (apps/gateway/dist/cli.js) on `config`, in a temp folder; resolves once it says it is up. */
export async function startGateway(config: object): Promise<RunningGateway> {
  for (const file of [CLI, APP_INDEX])
    if (!existsSync(file)) throw new Error(`${file} is missing: run "pnpm build" before the browser tests`);
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  const configPath = join(dir, 'onebot11.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const child = spawn(process.execPath, [CLI, '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let admin: string | undefined;
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${lines.join('\n')}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${lines.join('\n')}`)));
    let pending = '';
    const read = (chunk: Buffer) => {
      pending += chunk.toString();
      let end;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        lines.push(line);
        if (lines.length > 2000) lines.shift();
        const match = /"admin":"([^"]+)"/.exec(line);
        if (match) admin = match[1];
        if (line.includes(' is up')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
  });
  await up;
  if (!admin) throw new Error(`the gateway did not log its admin address:\n${lines.join('\n')}`);
  return {
    process: child,
    origin: `http://${admin}`,
    configPath,
    lines,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
