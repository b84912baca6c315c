import type { SandboxSnapshot } from '@onebot-gateway/backend-sandbox';
import type { Backend } from '@onebot-gateway/core';
import type { FastifyInstance } from 'fastify';

/** The sandbox's `snapshot()`, when the running backend is the sandbox; undefined on any other. */
function snapshotOf(backend: Backend): (() => SandboxSnapshot) | undefined {
  const candidate = backend as Partial<{ snapshot: () => SandboxSnapshot }>;
  return backend.type === 'sandbox' && typeof candidate.snapshot === 'function'
    ? () => candidate.snapshot!()
    : undefined;
}

/** A read-only view of the sandbox's state at `path`; 404 naming the backend on any other. */
function registerSnapshotRoute(
  app: FastifyInstance,
  backend: () => Backend,
  path: string,
  what: string,
  view: (snapshot: SandboxSnapshot) => unknown,
): void {
  app.get(path, async (_request, reply) => {
    const current = backend();
    const snapshot = snapshotOf(current);
    if (!snapshot) {
      return reply.code(404).send({
        error: `no sandbox ${what}: the backend is "${current.type}"; ${path} needs gateway.backend.type "sandbox"`,
      });
    }
    return view(snapshot());
  });
}

/**
 * The dashboard's read-only views of the sandbox (404 on any other backend):
 *
 * - `GET /api/sandbox/world`: who the simulated account is and who it knows,
 *   as the chat shows them: `{self: {user_id, nickname}, friends, groups:
 *   [{..., members: [{user_id, nickname, card, role, title, shut_up_until}]}]}`.
 * - `GET /api/sandbox/requests`: the friend and group requests still waiting
 *   for the bot's answer, `{requests: [{flag, request_type, sub_type?,
 *   user_id, group_id?, comment, time}]}`, oldest first. The dashboard shows a
 *   request it sent as handled once it leaves this list, whoever answered it
 *   (a bot through an adapter, or the dashboard).
 */
export function registerSandboxSnapshotRoutes(app: FastifyInstance, backend: () => Backend): void {
  registerSnapshotRoute(app, backend, '/api/sandbox/world', 'world', (world) => ({
    self: { user_id: world.self_id, nickname: world.nickname },
    friends: world.friends.map(({ user_id, nickname, remark }) => ({ user_id, nickname, remark })),
    groups: world.groups.map((group) => ({
      group_id: group.group_id,
      group_name: group.group_name,
      whole_ban: group.whole_ban,
      anonymous_enabled: group.anonymous_enabled,
      members: group.members.map(({ user_id, nickname, card, role, title, shut_up_until }) => ({
        user_id,
        nickname,
        card,
        role,
        title,
        shut_up_until,
      })),
    })),
  }));
  registerSnapshotRoute(app, backend, '/api/sandbox/requests', 'requests', (snapshot) => ({
    requests: snapshot.requests,
  }));
}
