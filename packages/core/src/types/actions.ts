/** The request a bot framework sends: over HTTP, WebSocket or a plugin call. */
export interface ActionRequest {
  action: string;
  params?: Record<string, unknown>;
  /** Copied back verbatim when the key is present, whatever its JSON type. */
  echo?: unknown;
}

export type ActionStatus = 'ok' | 'async' | 'failed';

export interface ActionResponse<T = unknown> {
  status: ActionStatus;
  retcode: number;
  data: T;
  message: string;
  wording: string;
  echo?: unknown;
}
