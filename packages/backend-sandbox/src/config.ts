import { OneBotError, type ConfigProblem } from '@onebot-gateway/core';
import {
  configFieldsSchema,
  configInvalidError,
  count,
  describe,
  describeValue,
  flag,
  isPlainObject,
  list,
  oneOf,
  qqNumber,
  resolveFields,
  text,
  type ConfigField,
  type JsonSchema,
} from '@onebot-gateway/core/internal';

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

function invalid(path: string, expected: string, value: unknown): OneBotError {
  return new OneBotError('CONFIG_INVALID', `${path}: expected ${expected}, got ${describeValue(value)}`, {
    details: { key: path },
  });
}

const memberFields = {
  user_id: describe({ ...qqNumber(), required: 'always' }, "The member's QQ number."),
  nickname: describe(text(), 'Name on the profile; default "User <user_id>".'),
  card: describe(text(''), 'Group card (the name shown in this group); "" = none.'),
  role: describe(
    { ...oneOf<MemberRole>('member', roles), expected: '"owner", "admin" or "member"' },
    'Role in the group; list the bot itself here to give it a role (it owns the group otherwise).',
  ),
  title: describe(text(''), 'Special title shown next to the name.'),
};

const friendFields = {
  user_id: describe({ ...qqNumber(), required: 'always' }, "The friend's QQ number."),
  nickname: describe(text(), 'Name on the profile; default "User <user_id>".'),
  remark: describe(text(''), "The bot's remark for this friend."),
};

const groupFields = {
  group_id: describe({ ...qqNumber(), required: 'always' }, 'The group number.'),
  group_name: describe(text(), 'Default "Group <group_id>".'),
  members: describe(
    list(memberFields, () => []),
    'Members besides the bot.',
  ),
  whole_ban: describe(flag(false), 'Start with the whole group muted (only admins and the owner speak).'),
};

/** The sandbox's keys of `gateway.backend`, read with core's field mechanism (validated once, here). */
export const sandboxConfigFields: { readonly [key: string]: ConfigField } = {
  selfId: describe(qqNumber(DEFAULT_SELF_ID), "The simulated bot account's QQ number."),
  nickname: describe(text('Sandbox Bot'), "The bot's nickname."),
  friends: describe(
    list(friendFields, () => defaultSandboxConfig().friends),
    "The bot's friends; default Alice (10001) and Bob (10002).",
  ),
  groups: describe(
    list(groupFields, () => defaultSandboxConfig().groups),
    'Groups the bot is in; default group 20001 with Alice (admin), Bob and Carol.',
  ),
  historyLimit: describe(count(DEFAULT_HISTORY_LIMIT, 1), 'Messages kept per conversation.'),
  historyConversationBytes: describe(
    count(DEFAULT_HISTORY_CONVERSATION_BYTES, 1),
    'Bytes of messages kept per conversation; the oldest go first.',
  ),
  historyTotalBytes: describe(
    count(DEFAULT_HISTORY_TOTAL_BYTES, 1),
    'Bytes of messages kept in all; the oldest go first.',
  ),
  maxMessageBytes: describe(
    count(DEFAULT_MAX_MESSAGE_BYTES, 1),
    'Largest message accepted, in bytes of its CQ string (retcode 100 past it).',
  ),
  requestLimit: describe(
    count(DEFAULT_REQUEST_LIMIT, 1),
    'Friend and group requests waiting for an answer; the oldest are dropped first.',
  ),
};

function configInvalid(path: string, message: string): OneBotError {
  return new OneBotError('CONFIG_INVALID', `${path}: ${message}`, { details: { key: path } });
}

function rejectDuplicates<T>(path: string, items: T[], key: (item: T) => number, what: string): void {
  const seen = new Set<number>();
  items.forEach((item, index) => {
    const id = key(item);
    if (seen.has(id))
      throw configInvalid(`${path}[${index}]`, `${what} ${id} is listed twice; keep one entry`);
    seen.add(id);
  });
}

function checkGroup(path: string, group: SandboxGroupConfig): void {
  const seen = new Set<number>();
  group.members.forEach((member, index) => {
    if (seen.has(member.user_id)) {
      throw configInvalid(
        `${path}.members[${index}].user_id`,
        `${member.user_id} is listed twice in group ${group.group_id}; keep one entry`,
      );
    }
    seen.add(member.user_id);
  });
  const owners = group.members.filter((member) => member.role === 'owner');
  if (owners.length > 1) {
    throw configInvalid(
      `${path}.members`,
      `group ${group.group_id} has ${owners.length} owners (${owners.map((o) => o.user_id).join(', ')}); a group has exactly one`,
    );
  }
}

/** The byte bounds, nested: one message fits a conversation, which fits the whole history. */
function checkHistoryBounds(config: SandboxConfig): void {
  if (config.maxMessageBytes > config.historyConversationBytes) {
    throw configInvalid(
      `${ROOT}.maxMessageBytes`,
      `${config.maxMessageBytes} is more than historyConversationBytes (${config.historyConversationBytes}); a message must fit its conversation's history`,
    );
  }
  if (config.historyConversationBytes > config.historyTotalBytes) {
    throw configInvalid(
      `${ROOT}.historyConversationBytes`,
      `${config.historyConversationBytes} is more than historyTotalBytes (${config.historyTotalBytes}); raise historyTotalBytes or lower it`,
    );
  }
}

type Resolved<T> = Omit<T, 'nickname' | 'group_name'> & { nickname?: string; group_name?: string };

/**
 * Fill defaults and validate a `gateway.backend` entry of type "sandbox".
 * Throws a CONFIG_INVALID OneBotError naming the key (every problem of the
 * keys at once, in `details.problems`), e.g.
 * `gateway.backend.groups[0].members[1].role: expected "owner", "admin" or "member", got "boss"`.
 * Unknown keys are ignored.
 */
export function resolveSandboxConfig(input: SandboxConfigInput | undefined = {}): SandboxConfig {
  if (!isPlainObject(input)) throw invalid(ROOT, 'an object', input);
  if (input.type !== undefined && input.type !== 'sandbox')
    throw invalid(`${ROOT}.type`, '"sandbox"', input.type);
  const problems: ConfigProblem[] = [];
  const resolved = resolveFields(input, sandboxConfigFields, ROOT, problems);
  if (problems.length > 0) throw configInvalidError(undefined, problems);
  const selfId = resolved['selfId'] as number;
  const givenFriends = input.friends !== undefined && input.friends !== null;
  const friends = (resolved['friends'] as Resolved<SandboxFriendConfig>[])
    .filter((friend) => givenFriends || friend.user_id !== selfId)
    .map((friend) => ({ ...friend, nickname: friend.nickname ?? `User ${friend.user_id}` }));
  friends.forEach((friend, index) => {
    if (friend.user_id === selfId) {
      throw configInvalid(
        `${ROOT}.friends[${index}].user_id`,
        `${friend.user_id} is the bot itself (selfId); remove it from friends`,
      );
    }
  });
  rejectDuplicates(`${ROOT}.friends`, friends, (friend) => friend.user_id, 'friend');
  const groups = (resolved['groups'] as Resolved<SandboxGroupConfig>[]).map((group) => ({
    ...group,
    group_name: group.group_name ?? `Group ${group.group_id}`,
    members: (group.members as Resolved<SandboxMemberConfig>[]).map((member) => ({
      ...member,
      nickname: member.nickname ?? `User ${member.user_id}`,
    })),
  }));
  groups.forEach((group, index) => checkGroup(`${ROOT}.groups[${index}]`, group));
  rejectDuplicates(`${ROOT}.groups`, groups, (group) => group.group_id, 'group');
  const config: SandboxConfig = {
    type: 'sandbox',
    selfId,
    nickname: resolved['nickname'] as string,
    friends,
    groups,
    historyLimit: resolved['historyLimit'] as number,
    historyConversationBytes: resolved['historyConversationBytes'] as number,
    historyTotalBytes: resolved['historyTotalBytes'] as number,
    maxMessageBytes: resolved['maxMessageBytes'] as number,
    requestLimit: resolved['requestLimit'] as number,
  };
  checkHistoryBounds(config);
  return config;
}

/** JSON Schema (draft-07) of a sandbox `gateway.backend`, for the gateway's composed config schema. */
export function sandboxConfigSchema(): JsonSchema {
  return configFieldsSchema(sandboxConfigFields);
}
