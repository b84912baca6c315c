import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `nats-server` with JetStream on a file store, for the distributed
 * mode tests. A missing binary is an error, never a skip: `pnpm test`
 * installs Debian's package first (scripts/ensure-system-deps.mjs).
 */
export interface NatsServerProcess {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** JetStream's store folder; kept across `restart()`, removed by `stop()`. */
  readonly storeDir: string;
  /** SIGKILL (or SIGTERM), then resolve once it exited. The store stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port and store (after `kill`). */
  restart(): Promise<void>;
  /** Stop it and remove the store. Safe to call twice. */
  stop(): Promise<void>;
  /** What it wrote to stderr so far (its log), for failure messages. */
  log(): string;
}

export const natsServerCommand = (): string => process.env.ONEBOT_NATS_SERVER ?? 'nats-server';

const READY_TIMEOUT_MS = 15_000;

function launch(port: number, storeDir: string): { child: ChildProcess; ready: Promise<number> } {
  const child = spawn(natsServerCommand(), ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A test that dies half-way must not leave a server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const ready = new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not become ready within ${READY_TIMEOUT_MS} ms:\n${text}`));
    }, READY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `could not run ${natsServerCommand()} (${error.message}); install it: apt-get install nats-server, or run pnpm setup:system`,
          { cause: error },
        ),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with code ${String(code)} before it was ready:\n${text}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const listening = /Listening for client connections on [^\s]+:(\d+)/.exec(text);
      if (listening && text.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    });
  });
  return { child, ready };
}

/** Start `nats-server -js` on a free loopback port with a fresh temporary store. */
export async function startNatsServer(): Promise<NatsServerProcess> {
  const storeDir = await mkdtemp(join(tmpdir(), 'onebot-nats-test-'));
  let log = '';
  let current = launch(-1, storeDir);
  current.child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let port: number;
  try {
    port = await current.ready;
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;

  async function kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const { child } = current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill,
    async restart() {
      await kill();
      current = launch(port, storeDir);
      current.child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      await current.ready;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    },
    log: () => log,
  };
}
