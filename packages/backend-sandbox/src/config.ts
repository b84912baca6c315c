import { OneBotError } from '@onebot-gateway/core';

/**
 * The sandbox's world as it comes from `gateway.backend`. Every key is
 * optional: a missing key takes its default, so `{ type: "sandbox" }` alone
 * gives a bot with two friends and one group.
 */
export type MemberRole = 'owner' | 'admin' | 'member';

export interface SandboxFriendConfig {
  user_id: number;
  nickname: string;
  remark: string;
}

export interface SandboxMemberConfig {
  user_id: number;
  nickname: string;
  card: string;
  role: MemberRole;
  /** Special title shown next to the name (set_group_special_title). */
  title: string;
}

export interface SandboxGroupConfig {
  group_id: number;
  group_name: string;
  /** Members besides the bot, unless the bot is listed to give it a role. */
  members: SandboxMemberConfig[];
  /** Start with the whole group muted (only admins and the owner may speak). */
  whole_ban: boolean;
}

export interface SandboxConfig {
  type: 'sandbox';
  selfId: number;
  nickname: string;
  friends: SandboxFriendConfig[];
  groups: SandboxGroupConfig[];
  /** Messages kept per conversation (group or private chat); the oldest go first. */
  historyLimit: number;
  /** Bytes of messages kept per conversation (see `messageBytes`); the oldest go first. */
  historyConversationBytes: number;
  /** Bytes of messages and forward messages kept in all; the oldest go first. */
  historyTotalBytes: number;
  /** Largest message accepted, in bytes of its CQ string; a bigger one is refused with retcode 100. */
  maxMessageBytes: number;
  /** Friend and group requests waiting for an answer; the oldest are dropped first. */
  requestLimit: number;
}

/** What a user may write: any subset, numbers possibly as strings. */
export type SandboxConfigInput = Partial<Record<keyof SandboxConfig, unknown>> & Record<string, unknown>;

export const DEFAULT_SELF_ID = 10000;
export const DEFAULT_HISTORY_LIMIT = 1000;
export const DEFAULT_REQUEST_LIMIT = 100;
const MiB = 1024 * 1024;
/**
 * Byte bounds of the history (README "Bounded memory" has the reasoning): a
 * real QQ message is a few KiB at most (text is capped at a few thousand
 * characters, media travel as files or URLs), so 1 MiB is far above any
 * real one while a 16 MiB body is refused; 4 MiB per conversation holds the
 * 1000-message count at 4 KiB each, or four messages of the largest size;
 * 32 MiB in all keeps the sandbox's share of a small heap (192 MB) modest.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 * MiB;
export const DEFAULT_HISTORY_CONVERSATION_BYTES = 4 * MiB;
export const DEFAULT_HISTORY_TOTAL_BYTES = 32 * MiB;

/** The world a fresh gateway starts with: two friends, one group the bot owns. */
export function defaultSandboxConfig(): SandboxConfig {
  return {
    type: 'sandbox',
    selfId: DEFAULT_SELF_ID,
    nickname: 'Sandbox Bot',
    friends: [
      { user_id: 10001, nickname: 'Alice', remark: '' },
      { user_id: 10002, nickname: 'Bob', remark: 'Bob from work' },
    ],
    groups: [
      {
        group_id: 20001,
        group_name: 'Sandbox Group',
        members: [
          { user_id: 10001, nickname: 'Alice', card: '', role: 'admin', title: '' },
          { user_id: 10002, nickname: 'Bob', card: '', role: 'member', title: '' },
          { user_id: 10003, nickname: 'Carol', card: 'Carol (not a friend)', role: 'member', title: '' },
        ],
        whole_ban: false,
      },
    ],
    historyLimit: DEFAULT_HISTORY_LIMIT,
    historyConversationBytes: DEFAULT_HISTORY_CONVERSATION_BYTES,
    historyTotalBytes: DEFAULT_HISTORY_TOTAL_BYTES,
    maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    requestLimit: DEFAULT_REQUEST_LIMIT,
  };
}

const ROOT = 'gateway.backend';
const roles: readonly MemberRole[] = ['owner', 'admin', 'member'];

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}

function invalid(path: string, expected: string, value: unknown): OneBotError {
  return new OneBotError('CONFIG_INVALID', `${path}: expected ${expected}, got ${describe(value)}`, {
    details: { key: path },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** QQ numbers: positive safe integers; numeric strings are accepted as NapCat does. */
function readId(path: string, value: unknown): number {
  const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw invalid(path, 'a positive integer (a QQ number)', value);
}

function readCount(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= 1) return parsed;
  throw invalid(path, 'an integer >= 1', value);
}

function readText(path: string, value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalid(path, 'a string', value);
}

function readArray(path: string, value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  throw invalid(path, 'an array', value);
}

function readObject(path: string, value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  throw invalid(path, 'an object', value);
}

function readFriend(path: string, value: unknown, selfId: number): SandboxFriendConfig {
  const entry = readObject(path, value);
  const userId = readId(`${path}.user_id`, entry.user_id);
  if (userId === selfId) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${path}.user_id: ${userId} is the bot itself (selfId); remove it from friends`,
    );
  }
  return {
    user_id: userId,
    nickname: readText(`${path}.nickname`, entry.nickname, `User ${userId}`),
    remark: readText(`${path}.remark`, entry.remark, ''),
  };
}

function readMember(path: string, value: unknown): SandboxMemberConfig {
  const entry = readObject(path, value);
  const userId = readId(`${path}.user_id`, entry.user_id);
  const role = entry.role ?? 'member';
  if (!roles.includes(role as MemberRole))
    throw invalid(`${path}.role`, '"owner", "admin" or "member"', role);
  return {
    user_id: userId,
    nickname: readText(`${path}.nickname`, entry.nickname, `User ${userId}`),
    card: readText(`${path}.card`, entry.card, ''),
    role: role as MemberRole,
    title: readText(`${path}.title`, entry.title, ''),
  };
}

function readGroup(path: string, value: unknown): SandboxGroupConfig {
  const entry = readObject(path, value);
  const groupId = readId(`${path}.group_id`, entry.group_id);
  const members = (readArray(`${path}.members`, entry.members) ?? []).map((member, index) =>
    readMember(`${path}.members[${index}]`, member),
  );
  const seen = new Set<number>();
  members.forEach((member, index) => {
    if (seen.has(member.user_id)) {
      throw new OneBotError(
        'CONFIG_INVALID',
        `${path}.members[${index}].user_id: ${member.user_id} is listed twice in group ${groupId}; keep one entry`,
      );
    }
    seen.add(member.user_id);
  });
  const owners = members.filter((member) => member.role === 'owner');
  if (owners.length > 1) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${path}.members: group ${groupId} has ${owners.length} owners (${owners.map((o) => o.user_id).join(', ')}); a group has exactly one`,
    );
  }
  const wholeBan = entry.whole_ban ?? false;
  if (typeof wholeBan !== 'boolean') throw invalid(`${path}.whole_ban`, 'true or false', wholeBan);
  return {
    group_id: groupId,
    group_name: readText(`${path}.group_name`, entry.group_name, `Group ${groupId}`),
    members,
    whole_ban: wholeBan,
  };
}

function rejectDuplicates<T>(path: string, items: T[], key: (item: T) => number, what: string): void {
  const seen = new Set<number>();
  items.forEach((item, index) => {
    const id = key(item);
    if (seen.has(id))
      throw new OneBotError(
        'CONFIG_INVALID',
        `${path}[${index}]: ${what} ${id} is listed twice; keep one entry`,
      );
    seen.add(id);
  });
}

type HistoryBounds = Pick<
  SandboxConfig,
  'historyConversationBytes' | 'historyTotalBytes' | 'maxMessageBytes'
>;

/** The byte bounds, nested: one message fits a conversation, which fits the whole history. */
function readHistoryBounds(input: SandboxConfigInput, defaults: SandboxConfig): HistoryBounds {
  const bounds = {
    maxMessageBytes: readCount(`${ROOT}.maxMessageBytes`, input.maxMessageBytes, defaults.maxMessageBytes),
    historyConversationBytes: readCount(
      `${ROOT}.historyConversationBytes`,
      input.historyConversationBytes,
      defaults.historyConversationBytes,
    ),
    historyTotalBytes: readCount(
      `${ROOT}.historyTotalBytes`,
      input.historyTotalBytes,
      defaults.historyTotalBytes,
    ),
  };
  if (bounds.maxMessageBytes > bounds.historyConversationBytes) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${ROOT}.maxMessageBytes: ${bounds.maxMessageBytes} is more than historyConversationBytes (${bounds.historyConversationBytes}); a message must fit its conversation's history`,
    );
  }
  if (bounds.historyConversationBytes > bounds.historyTotalBytes) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${ROOT}.historyConversationBytes: ${bounds.historyConversationBytes} is more than historyTotalBytes (${bounds.historyTotalBytes}); raise historyTotalBytes or lower it`,
    );
  }
  return bounds;
}

/**
 * Fill defaults and validate a `gateway.backend` entry of type "sandbox".
 * Throws a CONFIG_INVALID OneBotError naming the key, e.g.
 * `gateway.backend.groups[0].members[1].role: expected "owner", "admin" or "member", got "boss"`.
 * Unknown keys are ignored.
 */
export function resolveSandboxConfig(input: SandboxConfigInput | undefined = {}): SandboxConfig {
  if (!isPlainObject(input)) throw invalid(ROOT, 'an object', input);
  if (input.type !== undefined && input.type !== 'sandbox')
    throw invalid(`${ROOT}.type`, '"sandbox"', input.type);
  const defaults = defaultSandboxConfig();
  const selfId = input.selfId === undefined ? defaults.selfId : readId(`${ROOT}.selfId`, input.selfId);
  const friendsInput = readArray(`${ROOT}.friends`, input.friends);
  const friends = friendsInput
    ? friendsInput.map((friend, index) => readFriend(`${ROOT}.friends[${index}]`, friend, selfId))
    : defaults.friends.filter((friend) => friend.user_id !== selfId);
  rejectDuplicates(`${ROOT}.friends`, friends, (friend) => friend.user_id, 'friend');
  const groupsInput = readArray(`${ROOT}.groups`, input.groups);
  const groups = groupsInput
    ? groupsInput.map((group, index) => readGroup(`${ROOT}.groups[${index}]`, group))
    : defaults.groups;
  rejectDuplicates(`${ROOT}.groups`, groups, (group) => group.group_id, 'group');
  const bounds = readHistoryBounds(input, defaults);
  return {
    type: 'sandbox',
    selfId,
    nickname: readText(`${ROOT}.nickname`, input.nickname, defaults.nickname),
    friends,
    groups,
    historyLimit: readCount(`${ROOT}.historyLimit`, input.historyLimit, defaults.historyLimit),
    ...bounds,
    requestLimit: readCount(`${ROOT}.requestLimit`, input.requestLimit, defaults.requestLimit),
  };
}
