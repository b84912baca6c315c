export { createSandboxBackend, type SandboxBackend, type SandboxBackendOptions } from './sandbox-backend.js';
export {
  resolveSandboxConfig,
  defaultSandboxConfig,
  DEFAULT_SELF_ID,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_REQUEST_LIMIT,
  type SandboxConfig,
  type SandboxConfigInput,
  type SandboxFriendConfig,
  type SandboxGroupConfig,
  type SandboxMemberConfig,
  type MemberRole,
} from './config.js';
export type {
  SandboxOperator,
  SimulateMessageInput,
  SimulateMessageResult,
  SimulateRequestInput,
  SimulateRequestResult,
  SimulateGroupDecreaseInput,
  SimulateRecallInput,
  ConversationQuery,
  ConversationMessage,
  SandboxSnapshot,
} from './operator-types.js';
export { DAILY_LIKE_LIMIT } from './actions/friend-actions.js';
export { SANDBOX_APP_NAME, SANDBOX_VERSION } from './version.js';
