/** One open connection of an adapter: `remote` is a client's `address:port` or the URL a client adapter reached. */
export interface AdapterPeer {
  remote: string;
  role: string;
  /** ISO 8601. */
  since: string;
}

export interface AdapterReport {
  name: string;
  kind: string;
  enable: boolean;
  status: string;
  address?: string;
  url?: string;
  connections: number;
  /** Oldest first, at most 100 (`connections` has the count); only adapters that track them send it. */
  peers?: AdapterPeer[];
  /** A client waiting to reconnect: when it tries next, ISO 8601. */
  nextRetryAt?: string;
  eventsSent: number;
  actionsHandled: number;
  errors: number;
  lastError?: string;
}

export interface BackendInfo {
  type: string;
  selfId: number | string | null;
  status: Record<string, unknown> & { online?: boolean };
}

export interface AdaptersAnswer {
  adapters: AdapterReport[];
  backend: BackendInfo;
  gateway?: {
    version: string;
    uptimeSeconds: number;
    memory: { rss: number; heapUsed: number };
    /** Events the backend published since the admin API started, each counted once (however many adapters got it). */
    eventsPublished?: number;
  };
  /** Actions run from the dashboard's own console, which no adapter counts. */
  admin?: { actionsHandled: number };
}

export type Segment = { type: string; data: Record<string, unknown> };

export interface OneBotEvent {
  post_type: string;
  message_type?: string;
  notice_type?: string;
  request_type?: string;
  sub_type?: string;
  group_id?: number;
  user_id?: number;
  message_id?: number;
  message?: Segment[] | string;
  raw_message?: string;
  time?: number;
  self_id?: number;
  [key: string]: unknown;
}
