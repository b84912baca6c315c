import { actionFailed } from '@onebot-gateway/core/internal';
import type { MemberRole, SandboxConfig } from './config.js';

/**
 * The sandbox's mutable world: who the bot is, its friends, its groups and
 * their members. Lookups throw the retcode-100 failures a real account would
 * give (unknown group, not a member, not permitted), naming what was missing.
 */
export interface Friend {
  user_id: number;
  nickname: string;
  remark: string;
}

export interface Member {
  user_id: number;
  nickname: string;
  card: string;
  role: MemberRole;
  title: string;
  /** Seconds. */
  join_time: number;
  /** Seconds; 0 before the first message. */
  last_sent_time: number;
  /** Seconds until which the member is muted; 0 or past = not muted. */
  shut_up_until: number;
}

export interface AnonymousIdentity {
  id: number;
  name: string;
  flag: string;
}

/** An anonymous identity as the sandbox remembers it: who is behind it, and until when set_group_anonymous_ban holds it. */
export interface AnonymousSender extends AnonymousIdentity {
  user_id: number;
  /** Seconds; 0 or past = not banned. */
  banned_until: number;
}

export interface Group {
  group_id: number;
  group_name: string;
  members: Map<number, Member>;
  whole_ban: boolean;
  anonymous_enabled: boolean;
  /** Users kicked with `reject_add_request: true`: their join requests are refused. */
  blocked: Set<number>;
  /** Anonymous senders seen recently, by flag, so set_group_anonymous_ban can find (and hold) them. */
  anonymous: Map<string, AnonymousSender>;
}

export interface World {
  selfId: number;
  nickname: string;
  friends: Map<number, Friend>;
  groups: Map<number, Group>;
  /** The nickname of any user the sandbox knows (friends, members, requesters); undefined otherwise. */
  nicknameOf(userId: number): string | undefined;
  rememberUser(userId: number, nickname: string): void;
  requireGroup(groupId: number): Group;
  requireMember(group: Group, userId: number): Member;
  requireFriend(userId: number): Friend;
  /** The bot's own member entry in a group. */
  self(group: Group): Member;
  /** Throws unless the bot is at least `needed` in the group. */
  requireBotRole(group: Group, needed: 'admin' | 'owner', action: string): Member;
  /** Throws unless `actor` may manage `target` (kick, ban, recall, card): owner > admin > member. */
  requireOutranks(group: Group, actor: Member, target: Member, action: string): void;
  isMuted(group: Group, member: Member, nowSeconds: number): boolean;
  addGroup(groupId: number, groupName: string, joinTime: number): Group;
  removeGroup(groupId: number): void;
}

export const roleRank: Record<MemberRole, number> = { member: 1, admin: 2, owner: 3 };

/** Bounded memory: anonymous identities kept per group for set_group_anonymous_ban. */
const ANONYMOUS_FLAGS_PER_GROUP = 100;
/** Bounded memory: users remembered besides friends and members (requesters, former members). */
const REMEMBERED_STRANGERS = 1000;

function listSome(ids: Iterable<number>): string {
  const all = [...ids];
  if (all.length === 0) return 'none';
  const shown = all.slice(0, 5).join(', ');
  return all.length > 5 ? `${shown}, ... (${all.length} in all)` : shown;
}

export function createWorld(config: SandboxConfig, nowSeconds: number): World {
  const friends = new Map<number, Friend>(config.friends.map((friend) => [friend.user_id, { ...friend }]));
  const groups = new Map<number, Group>();
  const strangers = new Map<number, string>();

  function emptyGroup(groupId: number, groupName: string): Group {
    return {
      group_id: groupId,
      group_name: groupName,
      members: new Map(),
      whole_ban: false,
      anonymous_enabled: true,
      blocked: new Set(),
      anonymous: new Map(),
    };
  }

  for (const groupConfig of config.groups) {
    const group = emptyGroup(groupConfig.group_id, groupConfig.group_name);
    group.whole_ban = groupConfig.whole_ban;
    for (const member of groupConfig.members) {
      group.members.set(member.user_id, {
        ...createMember(member.user_id, member.nickname, member.role, nowSeconds),
        card: member.card,
        title: member.title,
      });
    }
    if (!group.members.has(config.selfId)) {
      // The bot owns its groups unless the config names another owner (then
      // it is a plain member) or lists the bot itself with a role.
      const hasOwner = groupConfig.members.some((member) => member.role === 'owner');
      group.members.set(
        config.selfId,
        createMember(config.selfId, config.nickname, hasOwner ? 'member' : 'owner', nowSeconds),
      );
    }
    groups.set(group.group_id, group);
  }

  const world: World = {
    selfId: config.selfId,
    nickname: config.nickname,
    friends,
    groups,
    nicknameOf(userId) {
      if (userId === world.selfId) return world.nickname;
      const friend = friends.get(userId);
      if (friend) return friend.nickname;
      for (const group of groups.values()) {
        const member = group.members.get(userId);
        if (member) return member.nickname;
      }
      return strangers.get(userId);
    },
    rememberUser(userId, nickname) {
      if (world.nicknameOf(userId) !== undefined) return;
      if (strangers.size >= REMEMBERED_STRANGERS) strangers.delete(strangers.keys().next().value!);
      strangers.set(userId, nickname);
    },
    requireGroup(groupId) {
      const group = groups.get(groupId);
      if (!group)
        throw actionFailed(
          `group ${groupId} not found: the bot is not in it (its groups: ${listSome(groups.keys())})`,
        );
      return group;
    },
    requireMember(group, userId) {
      const member = group.members.get(userId);
      if (!member) throw actionFailed(`user ${userId} is not a member of group ${group.group_id}`);
      return member;
    },
    requireFriend(userId) {
      const friend = friends.get(userId);
      if (!friend)
        throw actionFailed(
          `user ${userId} is not a friend of the bot (its friends: ${listSome(friends.keys())})`,
        );
      return friend;
    },
    self(group) {
      return group.members.get(world.selfId)!;
    },
    requireBotRole(group, needed, action) {
      const self = world.self(group);
      if (roleRank[self.role] < roleRank[needed]) {
        const wanted = needed === 'owner' ? 'the group owner' : 'an admin or the owner';
        throw actionFailed(
          `${action} in group ${group.group_id} needs ${wanted}; the bot is ${self.role === 'admin' ? 'an admin' : 'a member'}`,
        );
      }
      return self;
    },
    requireOutranks(group, actor, target, action) {
      if (roleRank[actor.role] < roleRank.admin || roleRank[actor.role] <= roleRank[target.role]) {
        throw actionFailed(
          `${action}: ${actor.user_id === world.selfId ? 'the bot' : `user ${actor.user_id}`} (${actor.role}) may not do this to user ${target.user_id} (${target.role}) in group ${group.group_id}`,
        );
      }
    },
    isMuted(group, member, now) {
      if (member.shut_up_until > now) return true;
      return group.whole_ban && roleRank[member.role] < roleRank.admin;
    },
    addGroup(groupId, groupName, joinTime) {
      const group = emptyGroup(groupId, groupName);
      group.members.set(world.selfId, createMember(world.selfId, world.nickname, 'member', joinTime));
      groups.set(groupId, group);
      return group;
    },
    removeGroup(groupId) {
      const group = groups.get(groupId);
      if (!group) return;
      groups.delete(groupId);
      for (const member of group.members.values()) {
        if (member.user_id !== world.selfId) world.rememberUser(member.user_id, member.nickname);
      }
    },
  };
  return world;
}

function createMember(userId: number, nickname: string, role: MemberRole, joinTime: number): Member {
  return {
    user_id: userId,
    nickname,
    card: '',
    role,
    title: '',
    join_time: joinTime,
    last_sent_time: 0,
    shut_up_until: 0,
  };
}

/** A new member joining a group (approved request, accepted invite). */
export function addMember(
  group: Group,
  userId: number,
  nickname: string,
  role: MemberRole,
  joinTime: number,
): Member {
  const member = createMember(userId, nickname, role, joinTime);
  group.members.set(userId, member);
  return member;
}

/** Remember an anonymous sender (as the most recent), dropping the oldest beyond the cap. */
export function rememberAnonymous(group: Group, sender: AnonymousSender): void {
  group.anonymous.delete(sender.flag);
  if (group.anonymous.size >= ANONYMOUS_FLAGS_PER_GROUP)
    group.anonymous.delete(group.anonymous.keys().next().value!);
  group.anonymous.set(sender.flag, sender);
}

/**
 * The identity a member last spoke anonymously under in a group, if still
 * remembered. As on QQ, a member keeps one anonymous identity per group, so
 * a ban by its flag holds the person behind it.
 */
export function anonymousSenderOf(group: Group, userId: number): AnonymousSender | undefined {
  for (const sender of group.anonymous.values()) if (sender.user_id === userId) return sender;
  return undefined;
}
