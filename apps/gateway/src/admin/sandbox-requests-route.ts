import type { SandboxSnapshot } from '@onebot-gateway/backend-sandbox';
import type { Backend } from '@onebot-gateway/core';
import type { FastifyInstance } from 'fastify';

type PendingRequests = SandboxSnapshot['requests'];

function pendingOf(backend: Backend): (() => PendingRequests) | undefined {
  const candidate = backend as Partial<{ snapshot: () => Pick<SandboxSnapshot, 'requests'> }>;
  return backend.type === 'sandbox' && typeof candidate.snapshot === 'function'
    ? () => candidate.snapshot!().requests
    : undefined;
}

/**
 * `GET /api/sandbox/requests`: the friend and group requests still waiting for the bot's answer,
 * `{requests: [{flag, request_type, sub_type?, user_id, group_id?, comment, time}]}`, oldest first.
 * The dashboard shows a request it sent as handled once it leaves this list, whoever answered it (a
 * bot through an adapter, or the dashboard). 404 on any other backend.
 */
export function registerSandboxRequestsRoute(app: FastifyInstance, backend: () => Backend): void {
  app.get('/api/sandbox/requests', async (_request, reply) => {
    const current = backend();
    const pending = pendingOf(current);
    if (!pending) {
      return reply.code(404).send({
        error: `no sandbox requests: the backend is "${current.type}"; /api/sandbox/requests needs gateway.backend.type "sandbox"`,
      });
    }
    return { requests: pending() };
  });
}
