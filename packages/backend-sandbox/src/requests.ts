/**
 * Friend and group requests waiting for set_friend_add_request /
 * set_group_add_request. At most `requestLimit` are kept: a new one beyond
 * that forgets the oldest, whose flag then fails as unknown.
 */
export interface PendingRequest {
  flag: string;
  request_type: 'friend' | 'group';
  /** Group requests: `add` (someone asks to join a bot's group) or `invite` (someone invites the bot). */
  sub_type?: 'add' | 'invite';
  user_id: number;
  group_id?: number;
  comment: string;
  /** Seconds. */
  time: number;
}

export interface RequestStore {
  add(request: Omit<PendingRequest, 'flag'>): PendingRequest;
  get(flag: string): PendingRequest | undefined;
  /** Removes and returns the request. */
  take(flag: string): PendingRequest | undefined;
  find(predicate: (request: PendingRequest) => boolean): PendingRequest | undefined;
  list(): PendingRequest[];
}

export function createRequestStore(limit: number): RequestStore {
  const pending = new Map<string, PendingRequest>();
  let sequence = 0;
  return {
    add(request) {
      sequence += 1;
      const flag = `sandbox-${request.request_type}-${sequence}`;
      const stored = { ...request, flag };
      pending.set(flag, stored);
      if (pending.size > limit) pending.delete(pending.keys().next().value!);
      return stored;
    },
    get: (flag) => pending.get(flag),
    take(flag) {
      const request = pending.get(flag);
      pending.delete(flag);
      return request;
    },
    find(predicate) {
      for (const request of pending.values()) if (predicate(request)) return request;
      return undefined;
    },
    list: () => [...pending.values()].map((request) => ({ ...request })),
  };
}
