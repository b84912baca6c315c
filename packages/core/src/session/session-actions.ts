import type { AdapterContext } from '../adapter.js';
import type { Logger } from '../logger.js';
import { failedResponse, withEcho } from '../router/responses.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';
import type { SessionOptions, SessionRole } from './session-options.js';

export type IncomingFrame = string | Buffer | ArrayBuffer | Buffer[];

export function frameToText(data: IncomingFrame): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** The answer to a binary frame: requests are JSON text. */
export function binaryFrameRefusal(): ActionResponse {
  return failedResponse(
    'BAD_REQUEST',
    'binary frames are not accepted; send each request as a text frame holding JSON',
  );
}

/** The answer as JSON text; one that cannot be serialised becomes an internal error with its echo (and an error log). */
export function answerText(response: ActionResponse, logger: Logger, role: SessionRole): string {
  try {
    return JSON.stringify(response);
  } catch (error) {
    logger.error({ err: error, role }, 'an action answer could not be serialised');
    const echo = { has: Object.hasOwn(response, 'echo'), value: response.echo };
    return JSON.stringify(
      withEcho(
        failedResponse('INTERNAL', 'internal error: the answer could not be serialised to JSON'),
        echo,
      ),
    );
  }
}

/** What the action runner needs from its session: one object, so a connection pays for no extra closures. */
export interface ActionRunnerHost {
  readonly context: AdapterContext;
  options(): Readonly<SessionOptions>;
  readonly logger: Logger;
  readonly role: SessionRole;
  respond(response: ActionResponse): void;
}

/** Runs a connection's actions, at most maxPendingActions at once; each request gets exactly one answer. */
export class ActionRunner {
  private running = 0;

  constructor(private readonly host: ActionRunnerHost) {}

  get inFlight(): number {
    return this.running;
  }

  run(request: unknown): void {
    const { host } = this;
    const limit = host.options().maxPendingActions;
    if (this.running >= limit) {
      const echo =
        typeof request === 'object' && request !== null && Object.hasOwn(request, 'echo')
          ? { has: true, value: (request as { echo: unknown }).echo }
          : { has: false };
      host.respond(
        withEcho(
          failedResponse(
            'RATE_LIMITED',
            `too many actions in flight on this connection (limit ${limit}); wait for answers before sending more`,
          ),
          echo,
        ),
      );
      return;
    }
    this.running += 1;
    host.context
      .callAction(request as ActionRequest)
      .catch((error: unknown) => {
        // The router promises never to reject; if it does, the client still gets its one answer.
        host.logger.error({ err: error, role: host.role }, 'callAction rejected');
        return failedResponse('INTERNAL', 'internal error while running the action');
      })
      .then((response) => {
        this.running -= 1;
        host.respond(response);
      });
  }
}
