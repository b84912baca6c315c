import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

/**
 * For processes that must listen on fixed ports (the defaults, a starting
 * config): run them in a private network namespace when this machine allows
 * it (root, unshare, ip and nsenter), so the ports never clash with anything.
 */
export function canIsolateNetwork(): boolean {
  const works = (command: string, args: string[]) =>
    spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  return works('nsenter', ['--version']) && works('unshare', ['-n', 'sh', '-c', 'ip link set lo up']);
}

/** True when every port can be bound on `host` right now. */
export async function portsFree(ports: number[], host = '127.0.0.1'): Promise<boolean> {
  for (const port of ports) {
    const server = createServer();
    const free = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, host, () => done(true));
    });
    if (!free) return false;
    await new Promise((done) => server.close(done));
  }
  return true;
}

/** `node ...args`, in a private network with loopback up when `isolated`. */
export function spawnNode(args: string[], isolated: boolean, cwd?: string): ChildProcessWithoutNullStreams {
  const options = { cwd, stdio: 'pipe' as const };
  return isolated
    ? spawn(
        'unshare',
        ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...args],
        options,
      )
    : spawn(process.execPath, args, options);
}

/** GET `url` from the network `pid` lives in (nsenter when isolated); status 0 when it cannot connect. */
export async function fetchFrom(
  pid: number,
  isolated: boolean,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const probe = `fetch(${JSON.stringify(url)}, { headers: ${JSON.stringify(headers)} }).then(async (r) => console.log(r.status, await r.text()), (e) => console.log(0, e.message))`;
  const [command, args] = isolated
    ? ['nsenter', ['-t', String(pid), '-n', process.execPath, '-e', probe]]
    : [process.execPath, ['-e', probe]];
  const { stdout } = await promisify(execFile)(command, args as string[]);
  const [status, ...body] = stdout.trim().split(' ');
  return { status: Number(status), body: body.join(' ') };
}
