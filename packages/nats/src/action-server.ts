import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { failedResponse, type ActionResponse, type AdapterContext, type Logger } from '@onebot-gateway/core';
import type { MessageDrops } from './message-drops.js';
import { actionSubject } from './subjects.js';

/**
 * A queue group: when two origins serve one account (a standby), each call
 * is answered once. The name is fixed so any version of the bridge joins it.
 */
export const ACTION_QUEUE_GROUP = 'onebot-gateway-origin';

export interface ActionServerOptions {
  subjectPrefix: string;
  context: AdapterContext;
  log: Logger;
  drops: MessageDrops;
  /** Counts each answered call for status(). */
  onAnswered(): void;
}

export interface ActionServer {
  /** Serve `<prefix>.<selfId>.action` on this connection (again after a reconnection, or for a new account). */
  serve(connection: NatsConnection, selfId: number): void;
  /** The subject served now, if any. */
  subject(): string | undefined;
  stop(): void;
}

const decoder = new TextDecoder();

/**
 * Actions from the edges: the OneBot request JSON in, the OneBot response
 * out, through the origin's router (coercion, echo, `_async`, quick
 * operations all happen there, exactly as for a local client).
 */
export function createActionServer(options: ActionServerOptions): ActionServer {
  const { context, log, drops } = options;
  let subscription: Subscription | undefined;
  let served: { connection: NatsConnection; subject: string } | undefined;

  function reply(message: Msg, response: ActionResponse, connection: NatsConnection): void {
    if (!message.reply) return;
    let payload = JSON.stringify(response);
    const maxPayload = connection.info?.max_payload ?? Number.POSITIVE_INFINITY;
    if (Buffer.byteLength(payload) > maxPayload) {
      payload = JSON.stringify({
        ...failedResponse(
          'BACKEND_UNAVAILABLE',
          `the answer is ${Buffer.byteLength(payload)} bytes, more than the NATS server's max_payload (${maxPayload}); raise max_payload in nats-server.conf`,
        ),
        ...(Object.hasOwn(response, 'echo') ? { echo: (response as { echo?: unknown }).echo } : {}),
      });
    }
    try {
      message.respond(payload);
    } catch (error) {
      log.warn(
        { subject: message.subject },
        `could not answer an action over NATS: ${(error as Error).message}`,
      );
    }
  }

  async function handle(message: Msg, connection: NatsConnection): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(decoder.decode(message.data));
    } catch (error) {
      drops.record(message.subject, `not JSON (${(error as Error).message})`);
      reply(
        message,
        failedResponse('BAD_REQUEST', `the request is not JSON: ${(error as Error).message}`),
        connection,
      );
      return;
    }
    // The router answers every shape (a 1400 for a non-object) and never rejects.
    const response = await context.callAction(request as never);
    options.onAnswered();
    reply(message, response, connection);
  }

  function stopSubscription(): void {
    try {
      subscription?.unsubscribe();
    } catch {
      // Already gone with its connection.
    }
    subscription = undefined;
    served = undefined;
  }

  return {
    serve(connection, selfId) {
      if (selfId <= 0) return;
      const subject = actionSubject(options.subjectPrefix, selfId);
      if (served?.connection === connection && served.subject === subject && !connection.isClosed()) return;
      stopSubscription();
      subscription = connection.subscribe(subject, {
        queue: ACTION_QUEUE_GROUP,
        callback: (error, message) => {
          if (error) {
            log.warn({ subject }, `action subscription error: ${error.message}`);
            return;
          }
          void handle(message, connection).catch((cause: unknown) => {
            // Nothing an edge sends may end the origin.
            drops.record(subject, `could not be handled (${(cause as Error).message})`);
          });
        },
      });
      served = { connection, subject };
      log.info({ subject }, `serving actions on ${subject}`);
    },
    subject: () => served?.subject,
    stop: stopSubscription,
  };
}
