import { NoRespondersError, RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { failedResponse, type ActionResponse } from '@onebot-gateway/core';

export interface ActionClientOptions {
  subject: string;
  timeout: number;
  maxPayload: number;
  /** For "not connected" answers: where the edge is trying to reach. */
  servers: string;
  reconnectInterval: number;
  connection(): NatsConnection | undefined;
}

const decoder = new TextDecoder();

function isNoResponders(error: unknown): boolean {
  return error instanceof NoRespondersError || (error instanceof RequestError && error.isNoResponders());
}

function isTimeout(error: unknown): boolean {
  return error instanceof TimeoutError || (error instanceof Error && error.cause instanceof TimeoutError);
}

/**
 * Sends one action to the origin by request/reply. Every failure of the hop
 * itself (not connected, no origin, timeout) is BACKEND_UNAVAILABLE, the
 * relay backend's retcode, so a bot sees the same answer whichever way the
 * gateway reaches the account. The wording of each
 * failure follows the relay backend's sentences (gateway README, "Relay"):
 * a missing origin reads like an upstream that is not connected, a slow one
 * like an upstream that did not answer.
 */
export function createActionClient(options: ActionClientOptions) {
  function notConnected(where: string): ActionResponse {
    return failedResponse(
      'BACKEND_UNAVAILABLE',
      `upstream OneBot implementation at ${where} is not connected; the relay retries every ${options.reconnectInterval} ms, try again later`,
    );
  }

  return async function send(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    const connection = options.connection();
    if (!connection) return notConnected(`NATS ${options.servers}`);
    let payload: string;
    try {
      payload = JSON.stringify({ action, params });
    } catch (error) {
      return failedResponse(
        'BACKEND_UNAVAILABLE',
        `could not send "${action}" to the upstream: its params cannot be written as JSON (${(error as Error).message})`,
      );
    }
    let answer;
    try {
      answer = await connection.request(options.subject, payload, { timeout: options.timeout });
    } catch (error) {
      if (isNoResponders(error)) return notConnected(`NATS subject ${options.subject} (no origin serves it)`);
      if (isTimeout(error)) {
        return failedResponse(
          'BACKEND_UNAVAILABLE',
          `upstream did not answer "${action}" within ${options.timeout} ms; it may be busy or stuck`,
        );
      }
      return failedResponse(
        'BACKEND_UNAVAILABLE',
        `could not send "${action}" to the upstream: ${(error as Error).message}`,
      );
    }
    if (answer.data.byteLength > options.maxPayload) {
      return failedResponse(
        'BACKEND_UNAVAILABLE',
        `the origin's answer to "${action}" is ${answer.data.byteLength} bytes, more than gateway.backend.maxPayload (${options.maxPayload})`,
      );
    }
    try {
      return JSON.parse(decoder.decode(answer.data)) as ActionResponse;
    } catch (error) {
      return failedResponse(
        'BACKEND_UNAVAILABLE',
        `the origin answered "${action}" with something that is not JSON (${(error as Error).message})`,
      );
    }
  };
}
