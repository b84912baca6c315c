import type { ActionResponse } from '@onebot-gateway/core';

/** What `ctx.call` rejects with when an action fails: the retcode and message of the response. */
export class PluginActionError extends Error {
  override readonly name = 'PluginActionError';
  readonly action: string;
  readonly retcode: number;
  readonly response: ActionResponse;

  constructor(action: string, response: ActionResponse) {
    super(
      `action "${action}" failed with retcode ${response.retcode}: ${response.message || response.status}`,
    );
    this.action = action;
    this.retcode = response.retcode;
    this.response = response;
  }
}
