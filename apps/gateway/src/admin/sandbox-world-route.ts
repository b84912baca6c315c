import type { SandboxSnapshot } from '@onebot-gateway/backend-sandbox';
import type { Backend } from '@onebot-gateway/core';
import type { FastifyInstance } from 'fastify';

/** The part of the sandbox's snapshot the world route shows. */
type WorldSnapshot = Pick<SandboxSnapshot, 'self_id' | 'nickname' | 'friends' | 'groups'>;

function snapshotOf(backend: Backend): (() => WorldSnapshot) | undefined {
  const candidate = backend as Partial<{ snapshot: () => WorldSnapshot }>;
  return backend.type === 'sandbox' && typeof candidate.snapshot === 'function'
    ? () => candidate.snapshot!()
    : undefined;
}

/**
 * `GET /api/sandbox/world`: who the simulated account is and who it knows,
 * as the dashboard's chat shows them: `{self: {user_id, nickname}, friends,
 * groups: [{..., members: [{user_id, nickname, card, role, title, shut_up_until}]}]}`.
 * 404 on any other backend (there is no world to show).
 */
export function registerSandboxWorldRoute(app: FastifyInstance, backend: () => Backend): void {
  app.get('/api/sandbox/world', async (_request, reply) => {
    const current = backend();
    const snapshot = snapshotOf(current);
    if (!snapshot) {
      return reply.code(404).send({
        error: `no sandbox world: the backend is "${current.type}"; /api/sandbox/world needs gateway.backend.type "sandbox"`,
      });
    }
    const world = snapshot();
    return {
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
    };
  });
}
