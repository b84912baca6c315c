import { failedResponse, type ActionResponse } from '@onebot-gateway/core';

interface PendingAction {
  action: string;
  resolve(response: ActionResponse): void;
  timer: NodeJS.Timeout;
}

export interface PendingActions {
  /** Register a call; resolves with the upstream answer or a failure after `timeoutMs`. */
  add(
    echo: string,
    action: string,
    timeoutMs: number,
    onTimeout: () => ActionResponse,
  ): Promise<ActionResponse>;
  /** Settle the call with this echo; false when none is waiting (late or foreign answer). */
  settle(echo: string, response: ActionResponse): boolean;
  /** Fail every waiting call (connection lost, relay stopping). */
  failAll(retcode: number, message: (action: string) => string): void;
  size(): number;
}

/** Calls sent upstream and waiting for their echo; each has its own timeout, so the map stays bounded in time. */
export function createPendingActions(): PendingActions {
  const pending = new Map<string, PendingAction>();
  return {
    add(echo, action, timeoutMs, onTimeout) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(echo);
          resolve(onTimeout());
        }, timeoutMs);
        pending.set(echo, { action, resolve, timer });
      });
    },
    settle(echo, response) {
      const entry = pending.get(echo);
      if (!entry) return false;
      pending.delete(echo);
      clearTimeout(entry.timer);
      entry.resolve(response);
      return true;
    },
    failAll(retcode, message) {
      const entries = [...pending.values()];
      pending.clear();
      for (const entry of entries) {
        clearTimeout(entry.timer);
        entry.resolve(failedResponse(retcode, message(entry.action)));
      }
    },
    size: () => pending.size,
  };
}
