/**
 * `@onebot-gateway/core`: the public API, name by name. Growing it is a
 * deliberate, visible change (test/public-api.test.ts lists every name).
 * What only the sibling packages of this repository need lives in
 * `@onebot-gateway/core/internal`, which has no semver promise; the JSON
 * Schema builders in `@onebot-gateway/core/schema`.
 */
export type {
  Adapter,
  AdapterContext,
  AdapterCounters,
  AdapterState,
  AdapterPeer,
  AdapterStatus,
  BackendStatus,
} from './adapter.js';
export {
  checkToken,
  extractToken,
  redactUrl,
  signBody,
  verifySignature,
  type TokenCheck,
  type TokenSources,
} from './auth.js';
export type { Backend, BackendOptions } from './backend.js';
export {
  createEventBus,
  formatEvent,
  type DeliveredEvent,
  type EventBus,
  type EventListener,
  type EventSubscription,
} from './bus/event-bus.js';
export { adapterEntries, type AdapterEntry } from './config/adapter-entries.js';
export { adapterKinds } from './config/adapter-schema.js';
export { defaultConfig, defaultConfigText } from './config/default-config.js';
export {
  diffAdapterConfigs,
  type AdapterConfigDiff,
  type ChangedAdapterEntry,
} from './config/diff-adapter-configs.js';
export { MAX_TIMER_MS } from './config/fields.js';
export { logLevels } from './config/gateway-section.js';
export { loadConfigFile } from './config/load-config-file.js';
export { parseConfig, resolveConfig, type ParseConfigOptions } from './config/parse-config.js';
export { formatConfigProblem, type ConfigProblem } from './config/problems.js';
export { defaultRateLimitedActions } from './config/rate-limit-section.js';
export {
  resolveAdapterConfig,
  type AdapterFieldTables,
  type ConfigFields,
  type PartialAdapterConfig,
  type ResolveAdapterConfigOptions,
} from './config/resolve-entry.js';
export type {
  AdapterConfigByKind,
  AdapterEntryBase,
  AdapterKind,
  AdminConfig,
  AnyAdapterConfig,
  ClientTlsFiles,
  GatewayConfig,
  GatewaySection,
  HttpClientConfig,
  HttpServerConfig,
  HttpSseServerConfig,
  ListenerConfig,
  NatsBackendConfig,
  NatsBridgeConfig,
  NatsConnectionConfig,
  NetworkConfig,
  PluginConfig,
  RateLimitConfig,
  SandboxBackendConfig,
  ServerTlsFiles,
  UpstreamBackendConfig,
  WebsocketClientConfig,
  WebsocketServerConfig,
} from './config/types.js';
export { createAdapterContext, type AdapterContextSource } from './context.js';
export type { DurableDelivery, DurableEventSource, DurableSubscription, LoggedEvent } from './durable.js';
export {
  actionFailed,
  OneBotError,
  errorRegistry,
  isOneBotError,
  type ErrorCode,
  type OneBotErrorOptions,
} from './errors.js';
export {
  compileEventFilter,
  eventPassesFilter,
  type EventFilter,
  type EventFilterQuery,
} from './filter/event-filter.js';
export { InvalidFilterError, filterOperators } from './filter/validate-query.js';
export { noopLogger, type LogFn, type Logger } from './logger.js';
export { encodeCq, parseCq, type CqData } from './message/cq-code.js';
export { escapeCqParam, escapeCqText, unescapeCq } from './message/escape.js';
export type { ForwardNode, ForwardNodeCustom, ForwardNodeReference } from './message/forward-node.js';
export { normalizeMessage, toCqString, toSegments } from './message/normalize.js';
export { canonicalSegments } from './message/segment-data.js';
export type { OriginCheckInput, OriginVerdict } from './origin-policy.js';
export type {
  AccountSendLimitStatus,
  AccountSendLimits,
  AccountSendLimitsOptions,
} from './router/account-send-limits.js';
export {
  QUICK_OPERATION_ACTION,
  createActionRouter,
  type ActionHandler,
  type ActionHandlerContext,
  type ActionRouter,
  type ActionRouterOptions,
  type FallbackActionHandler,
} from './router/action-router.js';
export { standardActionSchemas, type StandardActionSchemas } from './router/action-schemas.js';
export { coerceParams, type ParamSchema, type ParamSpec, type ParamType } from './router/param-schema.js';
export type { ParsedFrame } from './router/parse-request.js';
export { quickOperationToActions } from './router/quick-operation.js';
export { asyncResponse, failedResponse, okResponse, withEcho } from './router/responses.js';
export {
  createSendLimiter,
  type SendAdmission,
  type SendLimiter,
  type SendLimiterOptions,
  type SendLimiterRefusal,
  type SendLimiterSettings,
  type SendLimiterStatus,
} from './router/send-limiter.js';
export type {
  ActionMap,
  ActionName,
  ActionParams,
  ActionRequest,
  ActionResponse,
  ActionResponseOf,
  ActionResult,
  ActionSpec,
  ActionStatus,
  Cookies,
  Credentials,
  CsrfToken,
  EssenceMessage,
  FileResult,
  ForwardMessageResult,
  ForwardNodes,
  FriendInfo,
  GroupAtAllRemain,
  GroupFileEntry,
  GroupFilesResult,
  GroupFolderEntry,
  GroupHonorInfo,
  GroupInfo,
  GroupMemberInfo,
  GroupNotice,
  GroupSystemMessage,
  GroupSystemRequest,
  GuildServiceProfile,
  HonorHolder,
  HonorType,
  LoginInfo,
  MessageDetail,
  MessageHistory,
  MessageIdResult,
  OcrResult,
  OnlineClient,
  SendForwardMsgParams,
  SendGroupForwardMsgParams,
  SendGroupMsgParams,
  SendMsgParams,
  SendPrivateForwardMsgParams,
  SendPrivateMsgParams,
  StrangerInfo,
  VersionInfo,
  YesResult,
} from './types/actions.js';
export type {
  AnonymousInfo,
  EssenceNoticeEvent,
  EventBase,
  EventMap,
  FriendAddNoticeEvent,
  FriendRecallNoticeEvent,
  FriendRequestEvent,
  GroupAdminNoticeEvent,
  GroupBanNoticeEvent,
  GroupCardNoticeEvent,
  GroupDecreaseNoticeEvent,
  GroupFile,
  GroupIncreaseNoticeEvent,
  GroupMessageEvent,
  GroupMessageSentEvent,
  GroupMsgEmojiLikeNoticeEvent,
  GroupRecallNoticeEvent,
  GroupRequestEvent,
  GroupRole,
  GroupSender,
  GroupUploadNoticeEvent,
  HeartbeatMetaEvent,
  HonorNotifyEvent,
  InputStatusNotifyEvent,
  LifecycleMetaEvent,
  LifecycleSubType,
  LuckyKingNotifyEvent,
  MessageEvent,
  MessageEventBase,
  MessageSentEvent,
  MetaEvent,
  NoticeEvent,
  NoticeType,
  NotifyNoticeEvent,
  OfflineFileNoticeEvent,
  OneBotEvent,
  PokeNotifyEvent,
  PostType,
  PrivateMessageEvent,
  PrivateMessageSentEvent,
  PrivateSender,
  ProfileLikeNotifyEvent,
  RequestEvent,
  Sex,
  StandardEvent,
  TitleNotifyEvent,
} from './types/events.js';
export {
  asStandardEvent,
  isMessageEvent,
  isMessageSentEvent,
  isMetaEvent,
  isNoticeEvent,
  isRequestEvent,
} from './types/guards.js';
export type {
  AnonymousSegment,
  AnonymousSegmentData,
  AtSegment,
  AtSegmentData,
  ContactSegment,
  ContactSegmentData,
  CustomNodeCqhttpData,
  CustomNodeData,
  DiceSegment,
  DiceSegmentData,
  EmptySegmentData,
  FaceSegment,
  FaceSegmentData,
  FileSegment,
  FileSegmentData,
  ForwardSegment,
  ForwardSegmentData,
  ImageSegment,
  ImageSegmentData,
  JsonSegment,
  JsonSegmentData,
  LocationSegment,
  LocationSegmentData,
  MarkdownSegment,
  MarkdownSegmentData,
  MediaFetchOptions,
  MessageFormat,
  MessageInput,
  MfaceSegment,
  MfaceSegmentData,
  MusicSegment,
  MusicSegmentData,
  NodeByIdData,
  NodeSegment,
  NodeSegmentData,
  PokeSegment,
  PokeSegmentData,
  RecordSegment,
  RecordSegmentData,
  ReplySegment,
  ReplySegmentData,
  RpsSegment,
  RpsSegmentData,
  Segment,
  SegmentArray,
  SegmentFlag,
  SegmentMap,
  SegmentNumber,
  SegmentOf,
  SegmentType,
  ShakeSegment,
  ShakeSegmentData,
  ShareSegment,
  ShareSegmentData,
  StandardSegment,
  TextSegment,
  TextSegmentData,
  VideoSegment,
  VideoSegmentData,
  XmlSegment,
  XmlSegmentData,
} from './types/segments.js';
