import type { AdapterContext } from '../adapter.js';
import { failedResponse, withEcho } from '../router/responses.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';

export type IncomingFrame = string | Buffer | ArrayBuffer | Buffer[];

export function frameToText(data: IncomingFrame): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** The answer as JSON text; one that cannot be serialised becomes an internal error with its echo. */
export function answerText(response: ActionResponse, onUnserialisable: (error: unknown) => void): string {
  try {
    return JSON.stringify(response);
  } catch (error) {
    onUnserialisable(error);
    const echo = { has: Object.hasOwn(response, 'echo'), value: response.echo };
    return JSON.stringify(
      withEcho(
        failedResponse('INTERNAL', 'internal error: the answer could not be serialised to JSON'),
        echo,
      ),
    );
  }
}

/** Runs a connection's actions, at most maxPendingActions at once; each request gets exactly one answer. */
export interface ActionRunner {
  run(request: unknown): void;
  readonly inFlight: number;
}

export interface ActionRunnerHooks {
  context: AdapterContext;
  maxPendingActions(): number;
  respond(response: ActionResponse): void;
  /** The router rejected, which it promises never to do. */
  rejected(error: unknown): void;
}

export function createActionRunner({
  context,
  maxPendingActions,
  respond,
  rejected,
}: ActionRunnerHooks): ActionRunner {
  let inFlight = 0;
  return {
    run(request) {
      if (inFlight >= maxPendingActions()) {
        const echo =
          typeof request === 'object' && request !== null && Object.hasOwn(request, 'echo')
            ? { has: true, value: (request as { echo: unknown }).echo }
            : { has: false };
        respond(
          withEcho(
            failedResponse(
              1429,
              `too many actions in flight on this connection (limit ${maxPendingActions()}); wait for answers before sending more`,
            ),
            echo,
          ),
        );
        return;
      }
      inFlight += 1;
      context
        .callAction(request as ActionRequest)
        .catch((error: unknown) => {
          // The router promises never to reject; if it does, the client still gets its one answer.
          rejected(error);
          return failedResponse('INTERNAL', 'internal error while running the action');
        })
        .then((response) => {
          inFlight -= 1;
          respond(response);
        });
    },
    get inFlight() {
      return inFlight;
    },
  };
}
