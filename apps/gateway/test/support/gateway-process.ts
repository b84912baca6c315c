import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterReport } from '../../src/index.js';

/** The built CLI: the tests run the real process, as a user would. */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface GatewayProcess {
  child: ChildProcess;
  configPath: string;
  dir: string;
  /** Parsed JSON log lines so far (stdout). */
  logs: LogLine[];
  stderr(): string;
  /** `http://host:port` of the admin API. */
  adminUrl: string;
  /** Resolves with the first log line (already seen or future) matching. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  writeConfig(config: unknown): Promise<void>;
  /** GET an admin route as JSON. */
  admin<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** POST `body` as JSON to an admin route (e.g. `/api/sandbox/messages`). */
  post<T = unknown>(path: string, body: unknown): Promise<{ status: number; body: T }>;
  adapter(name: string): Promise<AdapterInfo>;
  /** Send `signal` and wait for the exit: its code and how long it took from the signal. */
  terminate(signal?: NodeJS.Signals): Promise<{ code: number | null; tookMs: number }>;
  /** SIGTERM, wait for exit, remove the temp folder. Safe to call twice. */
  stop(): Promise<number | null>;
}

/** One adapter as GET /api/adapters lists it (the supervisor's report, as JSON), with its port. */
export interface AdapterInfo extends AdapterReport {
  /** The port from `address`. */
  port: number;
}

/** Minimal config: admin API on a free port, sandbox backend, the given network. */
export function gatewayConfig(
  network: Record<string, unknown[]>,
  gateway: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    network,
    gateway: {
      backend: { type: 'sandbox' },
      admin: { enable: true, host: '127.0.0.1', port: 0 },
      logLevel: 'info',
      ...gateway,
    },
  };
}

export async function runCli(
  args: string[],
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

/** Start the real gateway on a temp config; resolves once it logged that it is up. */
export async function spawnGateway(
  config: unknown,
  options: {
    waitUp?: boolean;
    /** Flags for node itself, before the CLI (e.g. V8 options). */
    nodeArgs?: string[];
    /** Extra files next to the config (e.g. plugin modules), by relative path. */ files?: Record<
      string,
      string
    >;
  } = {},
): Promise<GatewayProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'onebot-gateway-test-'));
  const configPath = join(dir, 'onebot11.json');
  for (const [relativePath, content] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(dir, relativePath)), { recursive: true });
    await writeFile(join(dir, relativePath), content);
  }
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliPath, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test that dies half-way must not leave a gateway running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const logs: LogLine[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: LogLine) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 30, msg: text };
      }
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line.msg)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  function waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<LogLine> {
    const seen = logs.find((line) => pattern.test(line.msg));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no log line matching ${pattern} within ${timeoutMs} ms; logs:\n${logs.map((l) => l.msg).join('\n')}\nstderr: ${stderr}`,
          ),
        );
      }, timeoutMs);
      const waiter = {
        pattern,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.push(waiter);
      void exited.then(() => {
        if (!waiters.includes(waiter)) return;
        clearTimeout(timer);
        reject(
          new Error(
            `gateway exited before logging ${pattern}; logs:\n${logs.map((l) => l.msg).join('\n')}\nstderr: ${stderr}`,
          ),
        );
      });
    });
  }

  let stopped: Promise<number | null> | undefined;
  const gateway: GatewayProcess = {
    child,
    configPath,
    dir,
    logs,
    stderr: () => stderr,
    adminUrl: '',
    waitForLog,
    exited,
    async writeConfig(next) {
      await writeFile(configPath, JSON.stringify(next, null, 2));
    },
    async admin<T>(path: string, init?: RequestInit) {
      const response = await fetch(`${gateway.adminUrl}${path}`, init);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // /metrics is text
      }
      return { status: response.status, body: body as T };
    },
    post<T>(path: string, body: unknown) {
      return gateway.admin<T>(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    async adapter(name) {
      const { body } = await gateway.admin<{ adapters: AdapterInfo[] }>('/api/adapters');
      const found = body.adapters.find((a) => a.name === name);
      if (!found) throw new Error(`adapter ${name} not in /api/adapters: ${JSON.stringify(body)}`);
      return { ...found, port: Number(/:(\d+)$/.exec(found.address ?? '')?.[1] ?? 0) };
    },
    async terminate(signal = 'SIGTERM') {
      const started = Date.now();
      child.kill(signal);
      const code = await exited;
      return { code, tookMs: Date.now() - started };
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
        const code = await exited;
        clearTimeout(killer);
        await rm(dir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
  if (options.waitUp ?? true) {
    try {
      const adminLine = await waitForLog(/^admin API on /);
      gateway.adminUrl = `http://${String(adminLine.admin)}`;
      await waitForLog(/ is up/);
    } catch (error) {
      await gateway.stop();
      throw error;
    }
  }
  return gateway;
}

/** Poll `check` until it returns a value that is not undefined/false; bounded. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 5_000,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
