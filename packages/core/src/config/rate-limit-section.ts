import {
  bytes,
  count,
  describe,
  flag,
  invalidValue,
  isPlainObject,
  textList,
  type ConfigField,
} from './fields.js';
import { describeValue, type ConfigProblem } from './problems.js';
import { resolveFields } from './resolve-fields.js';
import type { RateLimitConfig } from './types.js';

/**
 * Every action that makes the account put something in front of other
 * people: messages (standard, forwarded, AI voice), likes, pokes, emoji
 * reactions, files, group notices and check-ins. That is what QQ's risk
 * control counts. Moderation (ban, kick, recall) and requests are left out
 * on purpose: a ban must not wait behind a queue of chat messages.
 */
export const defaultRateLimitedActions: readonly string[] = [
  'send_msg',
  'send_private_msg',
  'send_group_msg',
  'send_forward_msg',
  'send_private_forward_msg',
  'send_group_forward_msg',
  'forward_friend_single_msg',
  'forward_group_single_msg',
  'send_group_ai_record',
  'send_like',
  'send_poke',
  'group_poke',
  'friend_poke',
  'set_msg_emoji_like',
  'upload_group_file',
  'upload_private_file',
  '_send_group_notice',
  'send_group_sign',
  'set_group_sign',
];

/** A rate in tokens per second: any number > 0, fractions included (go-cqhttp reads it as a float). */
function tokensPerSecond(defaultValue: number): ConfigField {
  return {
    expected: 'a number > 0 (tokens per second, e.g. 0.5 for one call every 2 s)',
    jsonSchema: { type: 'number', exclusiveMinimum: 0 },
    defaultValue: () => defaultValue,
    coerce: (value) => {
      const candidate = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
      return typeof candidate === 'number' && Number.isFinite(candidate) && candidate > 0
        ? candidate
        : invalidValue;
    },
  };
}

type RateLimitKey = 'enable' | 'frequency' | 'bucket' | 'actions' | 'maxQueue' | 'maxQueueBytes';
export const rateLimitFields: { readonly [P in RateLimitKey]: ConfigField } = {
  enable: describe(
    flag(false),
    'Hold sends to one token bucket per account, shared by every adapter; off: only _rate_limited calls wait.',
  ),
  frequency: describe(tokensPerSecond(1), 'Tokens per second; fractions allowed (0.5 = one send every 2 s).'),
  bucket: describe(count(1, 1), 'Tokens the bucket holds: sends that may leave at once after a quiet time.'),
  actions: describe(
    { ...textList(), defaultValue: () => [...defaultRateLimitedActions] },
    'Actions that take a token; ["*"] = every action. Default: every action that sends something visible.',
  ),
  maxQueue: describe(
    count(1000, 0),
    'Sends that may wait; past it the call answers 1429 at once (0 = none wait).',
  ),
  maxQueueBytes: describe(
    bytes(16 * 1024 * 1024),
    'Bytes of waiting params (as JSON); past it the call answers 1429 at once.',
  ),
};

export function resolveRateLimit(raw: unknown, problems: ConfigProblem[]): RateLimitConfig {
  const path = 'gateway.rateLimit';
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    problems.push({ path, message: `expected an object like {"enable": true}, got ${describeValue(raw)}` });
    raw = undefined;
  }
  return resolveFields(
    isPlainObject(raw) ? raw : {},
    rateLimitFields,
    path,
    problems,
  ) as unknown as RateLimitConfig;
}
