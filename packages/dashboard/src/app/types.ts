export interface AdapterReport {
  name: string;
  kind: string;
  enable: boolean;
  status: string;
  address?: string;
  url?: string;
  connections: number;
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
  gateway?: { version: string; uptimeSeconds: number; memory: { rss: number; heapUsed: number } };
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
