import { OneBotError } from './errors.js';

/**
 * The one error a listener that cannot bind raises (every server adapter
 * and the admin API): `<label> could not listen on <host>:<port>: <why,
 * and what to do>`, with the adapter, host and port in `details`.
 */
export function listenFailure(
  label: string,
  where: { host: string; port: number; adapter?: string },
  error: unknown,
): OneBotError {
  const { host, port } = where;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use; stop the other process or choose another port`
      : code === 'EACCES'
        ? `no permission to bind port ${port}; use a port above 1023`
        : code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine; use 127.0.0.1 or 0.0.0.0`
          : ((error as Error | undefined)?.message ?? String(error));
  return new OneBotError('ADAPTER_START_FAILED', `${label} could not listen on ${host}:${port}: ${reason}`, {
    cause: error,
    details: { ...(where.adapter === undefined ? {} : { adapter: where.adapter }), host, port },
  });
}
