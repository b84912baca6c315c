import { isOneBotError, type Backend, type Logger } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** What the sandbox backend offers a person or a test acting as the other side. */
export interface SandboxOperator {
  simulateMessage(input: Record<string, unknown>): unknown;
  simulateRequest(input: Record<string, unknown>): unknown;
  conversation(query: Record<string, unknown>): unknown;
  simulateRecall?(input: Record<string, unknown>): unknown;
}

function asOperator(backend: Backend): SandboxOperator | undefined {
  const candidate = backend as Partial<SandboxOperator>;
  return typeof candidate.simulateMessage === 'function' &&
    typeof candidate.simulateRequest === 'function' &&
    typeof candidate.conversation === 'function'
    ? (candidate as SandboxOperator)
    : undefined;
}

/** An id from a query string or body: integers only, strings of digits accepted. */
function integerOrUndefined(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : Number.NaN;
}

async function badRequest(reply: FastifyReply, message: string): Promise<void> {
  await reply.code(400).send({ error: message });
}

/**
 * The status for an error the sandbox operator threw: its own 4xx for a
 * OneBotError that blames the input (BAD_REQUEST, CONFIG_INVALID), 400 for a
 * world that refuses (ACTION_FAILED: unknown group, muted user), else
 * undefined: a bug, not the caller's fault.
 */
function callerErrorStatus(error: unknown): number | undefined {
  if (!isOneBotError(error)) return undefined;
  if (error.httpStatus >= 400 && error.httpStatus < 500) return error.httpStatus;
  return error.code === 'ACTION_FAILED' ? 400 : undefined;
}

/**
 * The operator routes answer 400 for bad input (the sandbox's own message),
 * 409 when the backend is not the sandbox, and 500 (logged with its stack)
 * for anything unexpected.
 */
export function registerSandboxRoutes(app: FastifyInstance, backend: () => Backend, logger: Logger): void {
  async function withOperator(
    reply: FastifyReply,
    run: (operator: SandboxOperator) => Promise<unknown>,
  ): Promise<void> {
    const current = backend();
    const operator = asOperator(current);
    if (!operator) {
      await reply.code(409).send({
        error: `the backend is "${current.type}"; the sandbox routes need gateway.backend.type "sandbox"`,
      });
      return;
    }
    try {
      await reply.send(await run(operator));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = callerErrorStatus(error);
      if (status !== undefined) {
        // The sandbox throws OneBotError for bad input (unknown group, bad message): the caller's fault.
        await reply.code(status).send({ error: message });
        return;
      }
      logger.error(
        { err: error, route: reply.request.url.split('?')[0] },
        `sandbox route failed unexpectedly: ${message}`,
      );
      await reply.code(500).send({ error: `internal error: ${message}` });
    }
  }

  app.post('/api/sandbox/messages', async (request, reply) => {
    const body = request.body;
    if (!isPlainObject(body))
      return badRequest(reply, 'send a JSON object {message_type, user_id, group_id?, message}');
    if (body.message_type !== 'private' && body.message_type !== 'group') {
      return badRequest(reply, 'message_type must be "private" or "group"');
    }
    if (body.message === undefined || body.message === null || body.message === '') {
      return badRequest(reply, 'message is required: a CQ string or an array of segments');
    }
    return withOperator(reply, async (operator) => operator.simulateMessage(body));
  });

  app.post('/api/sandbox/requests', async (request, reply) => {
    const body = request.body;
    if (!isPlainObject(body))
      return badRequest(
        reply,
        'send a JSON object {request_type: "friend"|"group", user_id, group_id?, comment?}',
      );
    return withOperator(reply, async (operator) => operator.simulateRequest(body));
  });

  app.post('/api/sandbox/recall', async (request, reply) => {
    const body = request.body;
    if (!isPlainObject(body) || body.message_id === undefined)
      return badRequest(reply, 'send a JSON object {message_id, operator_id?}');
    return withOperator(reply, async (operator) => {
      if (!operator.simulateRecall) throw new Error('this sandbox cannot recall messages');
      return operator.simulateRecall(body);
    });
  });

  app.get('/api/sandbox/messages', async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const messageType = query.message_type ?? (query.group_id !== undefined ? 'group' : 'private');
    const groupId = integerOrUndefined(query.group_id);
    const userId = integerOrUndefined(query.user_id);
    if (messageType !== 'group' && messageType !== 'private')
      return badRequest(reply, 'message_type must be "private" or "group"');
    if (messageType === 'group' && (groupId === undefined || Number.isNaN(groupId))) {
      return badRequest(reply, 'group_id (an integer) is required for a group conversation');
    }
    if (messageType === 'private' && (userId === undefined || Number.isNaN(userId))) {
      return badRequest(reply, 'user_id (an integer) is required for a private conversation');
    }
    const conversationQuery = {
      ...(messageType === 'group'
        ? { message_type: 'group', group_id: groupId }
        : { message_type: 'private', user_id: userId }),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    };
    return withOperator(reply, async (operator) => {
      const messages = await operator.conversation(conversationQuery);
      return Array.isArray(messages) ? { messages } : messages;
    });
  });
}
