/**
 * `@onebot-gateway/core/internal`: building blocks the sibling packages of
 * this repository share (config field builders and resolver, session and
 * frame plumbing, origin and listener guards, TLS file loading, meta-event
 * builders, redaction helpers). **Not part of the semver promise**: names
 * here may change in any release. Users need only `@onebot-gateway/core`
 * and `@onebot-gateway/core/schema`.
 */
export {
  bytes,
  count,
  describe,
  flag,
  integer,
  isPlainObject,
  milliseconds,
  nonEmptyText,
  oneOf,
  port,
  qqNumber,
  text,
  textList,
  url,
  type ConfigField,
  type IntegerRange,
  type JsonSchema,
} from './config/fields.js';
export { list, record } from './config/object-fields.js';
export { secret } from './config/secret-field.js';
export { upstreamFields } from './config/gateway-section.js';
export { resolveFields } from './config/resolve-fields.js';
export { configFieldsSchema } from './config/fields-schema.js';
export { configInvalidError, describeValue } from './config/problems.js';
export { createAdapterCounters } from './adapter.js';
export { DEBUG_TEXT_LIMIT, redactDebugText, redactHeaders, redactText } from './auth.js';
export { createDeliveryViews } from './bus/event-bus.js';
export {
  MAX_HEARTBEAT_STATUS_DEPTH,
  createHeartbeatEvent,
  createLifecycleEvent,
  heartbeatFromBackend,
  heartbeatJson,
  warnHeartbeatProblemOnce,
  type HeartbeatProblem,
} from './bus/meta-events.js';
export { adapterDefaultNames, napcatAdapterKinds, serverKinds } from './config/adapter-schema.js';
export { LOG_SEQUENCE, durableNameFor, logSequenceOf } from './durable.js';
export {
  DROP_LINES_PER_WINDOW,
  DROP_WINDOW_MS,
  createDropLog,
  describeEvent,
  type DropLog,
} from './drop-log.js';
export { createWindowedDrops, type WindowedDrops, type WindowedDropsOptions } from './windowed-drops.js';
export { actionFailed, httpStatusForRetcode } from './errors.js';
export { Fifo } from './fifo.js';
export { upgradeConstraint, upgradeConstraintName } from './upgrade-constraint.js';
export { eventFilterOf, passesFilterQuery } from './filter/event-filter.js';
export {
  REFUSED_WARNING_WINDOW_MS,
  applyListenerLimits,
  type ListenerLimits,
  type ListenerLimitsHandle,
} from './listener-limits.js';
export { dataValueToString } from './message/cq-code.js';
export { isCqName, isCqNameChar } from './message/cq-name.js';
export { readForwardNode } from './message/forward-node.js';
export { buildRawMessage } from './message/normalize.js';
export { normalizeSegmentData } from './message/segment-data.js';
export {
  checkOrigin,
  checkRequestOrigin,
  createOriginWarnings,
  hostNameOf,
  isIpLiteral,
  isLoopbackAddress,
  isLoopbackHostHeader,
  isOriginListed,
  normaliseOrigin,
  originRefusalMessage,
  type OriginRequest,
  type RequestOriginPolicy,
} from './origin-policy.js';
export { createAccountSendLimits, sendRefusalMessage } from './router/account-send-limits.js';
export { DEFAULT_RATE_LIMIT_QUEUE_BYTES } from './router/action-router.js';
export { MAX_REQUEST_PARAMS, hasMoreKeysThan, tooManyParamsMessage } from './router/param-count.js';
export { parseActionText } from './router/parse-request.js';
export { DEFAULT_QUICK_BAN_DURATION } from './router/quick-operation.js';
export { MAX_REQUEST_DEPTH, isJsonTextNestedDeeperThan, isNestedDeeperThan } from './router/request-depth.js';
export { attachSessionToWebSocket } from './session/attach.js';
export { encodeTextFrameHeader, sharedTextFrame } from './session/frame.js';
export { redactSecrets } from './session/redact.js';
export {
  DEFAULT_PING_INTERVAL_MS,
  SessionCloseCode,
  createOneBotSession,
  defaultSessionOptions,
  type IncomingFrame,
  type OneBotSession,
  type SessionInit,
  type SessionOptions,
  type SessionRole,
} from './session/session.js';
export { fromWebSocket, type SessionSocket, type WebSocketLike } from './session/socket.js';
export {
  httpsServerOptions,
  loadClientTlsFiles,
  loadServerTlsFiles,
  reloadServerTlsFiles,
  type SecureContextHolder,
  type ServerTlsMaterial,
} from './tls-files.js';
export { settleWithin, type SettledWithin } from './settle-within.js';
export { listenFailure } from './listen-failure.js';
export {
  isServerSideWs,
  releaseUpgradeResponse,
  wsQueuedBytes,
  wsTransport,
  type WsTransport,
} from './session/ws-internals.js';
export {
  createAdapterLifecycle,
  type AdapterLifecycle,
  type LifecycleOptions,
  type LifecycleSteps,
} from './lifecycle/adapter-lifecycle.js';
export {
  createConnectionIds,
  createReconnectTimer,
  createTimerScope,
  reconnectDelay,
  type ConnectionIds,
  type ReconnectTimer,
  type ReconnectTimerOptions,
  type TimerScope,
} from './lifecycle/timers.js';
export {
  ABNORMAL_CLOSURE,
  createReconnectingSocket,
  type ConnectionHandlers,
  type DialledSocket,
  type DialledSocketLike,
  type ReconnectingSocket,
  type ReconnectingSocketOptions,
} from './lifecycle/reconnecting-socket.js';
export { createFirstAttempt, type FirstAttempt } from './lifecycle/first-attempt.js';
export {
  formatSocketAddress,
  openServerListener,
  type ListenerHttpsOptions,
  type ListeningApp,
  type ServerListener,
  type ServerListenerConfig,
  type ServerListenerOptions,
} from './lifecycle/server-listener.js';
export {
  schemaCompilersOnDemand,
  type OnDemandSchemaController,
} from './lifecycle/schema-compilers-on-demand.js';
export {
  MAX_LISTED_PEERS,
  createPeer,
  listPeers,
  peersOf,
  remoteOf,
  type PeerRecord,
  type PeerSocket,
} from './lifecycle/peers.js';
