export interface SandboxWorld {
  self: { user_id: number; nickname: string };
  friends: Array<{ user_id: number; nickname: string; remark: string }>;
  groups: Array<{
    group_id: number;
    group_name: string;
    members: Array<{ user_id: number; nickname: string; card: string; role: string }>;
  }>;
}

export type Conversation = { type: 'private'; userId: number } | { type: 'group'; groupId: number };

export interface ChatMessage {
  message_id: number;
  user_id: number;
  time: number;
  message: Array<{ type: string; data: Record<string, unknown> }>;
  raw_message: string;
}
