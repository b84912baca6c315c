import type {
  ActionName,
  ActionParams,
  ActionResponse,
  ActionResult,
  FriendAddNoticeEvent,
  FriendRecallNoticeEvent,
  FriendRequestEvent,
  GroupAdminNoticeEvent,
  GroupBanNoticeEvent,
  GroupDecreaseNoticeEvent,
  GroupIncreaseNoticeEvent,
  GroupMessageEvent,
  GroupMessageSentEvent,
  GroupRecallNoticeEvent,
  GroupRequestEvent,
  GroupUploadNoticeEvent,
  HeartbeatMetaEvent,
  LifecycleMetaEvent,
  Logger,
  MessageEvent,
  MessageInput,
  MessageSentEvent,
  MetaEvent,
  NoticeEvent,
  NotifyNoticeEvent,
  OneBotEvent,
  PluginConfig,
  PokeNotifyEvent,
  PrivateMessageEvent,
  PrivateMessageSentEvent,
  RequestEvent,
  StandardEvent,
} from '@onebot-gateway/core';

/**
 * The events a plugin can subscribe to by kind. Any other
 * `post_type[.detail[.sub_type]]` string works too, typed as `OneBotEvent`.
 */
export interface PluginEventMap {
  '*': StandardEvent;
  message: MessageEvent;
  'message.private': PrivateMessageEvent;
  'message.group': GroupMessageEvent;
  message_sent: MessageSentEvent;
  'message_sent.private': PrivateMessageSentEvent;
  'message_sent.group': GroupMessageSentEvent;
  notice: NoticeEvent;
  'notice.group_upload': GroupUploadNoticeEvent;
  'notice.group_admin': GroupAdminNoticeEvent;
  'notice.group_decrease': GroupDecreaseNoticeEvent;
  'notice.group_increase': GroupIncreaseNoticeEvent;
  'notice.group_ban': GroupBanNoticeEvent;
  'notice.friend_add': FriendAddNoticeEvent;
  'notice.group_recall': GroupRecallNoticeEvent;
  'notice.friend_recall': FriendRecallNoticeEvent;
  'notice.notify': NotifyNoticeEvent;
  'notice.notify.poke': PokeNotifyEvent;
  request: RequestEvent;
  'request.friend': FriendRequestEvent;
  'request.group': GroupRequestEvent;
  meta_event: MetaEvent;
  'meta_event.lifecycle': LifecycleMetaEvent;
  'meta_event.heartbeat': HeartbeatMetaEvent;
}

export type PluginEventKind = keyof PluginEventMap | (string & {});

export type PluginEventHandler<E = OneBotEvent> = (event: E) => unknown;

export interface ReplyOptions {
  /** In groups, mention the sender first. Default false. */
  atSender?: boolean;
  /** Send a string message as plain text, CQ codes not parsed. Default false. */
  autoEscape?: boolean;
}

export interface PluginContext<Options = Record<string, unknown>> {
  /** The plugin entry's name in the config file. */
  readonly name: string;
  readonly logger: Logger;
  /** The entry's `options` object. */
  readonly options: Options;
  /** A folder of this plugin's own, created before setup runs. */
  readonly dataDir: string;
  selfId(): number;
  /** Subscribe to events of one kind (`message.group`, `notice.group_recall`, `*` ...). Returns the unsubscribe. */
  on<K extends keyof PluginEventMap>(kind: K, handler: PluginEventHandler<PluginEventMap[K]>): () => void;
  on(kind: string, handler: PluginEventHandler): () => void;
  /** Call an action; resolves with its `data`, rejects with a PluginActionError carrying retcode and message. */
  call<A extends ActionName>(action: A, params?: ActionParams<A>): Promise<ActionResult<A>>;
  call<T = unknown>(action: string, params?: Record<string, unknown>): Promise<T>;
  /** Call an action and get the whole response, failures included. */
  callRaw(action: string, params?: Record<string, unknown>): Promise<ActionResponse>;
  /** Reply in the conversation a message event came from; resolves with the new message id. */
  reply(event: OneBotEvent, message: MessageInput, options?: ReplyOptions): Promise<{ message_id: number }>;
  /** Run a quick operation on an event (protocol.md section 6): reply, delete, kick, ban, approve... */
  quickOperation(event: OneBotEvent, operation: Record<string, unknown>): Promise<void>;
  /** Run `fn` when this plugin instance is disposed (stop, reload). */
  onDispose(fn: () => unknown): void;
}

export interface PluginDefinition<Options = Record<string, unknown>> {
  /** Defaults to the config entry's name. */
  name?: string;
  setup(ctx: PluginContext<Options>): unknown;
}

export interface PluginAdapterOptions {
  /** Folder of the config file: module paths and `plugins/<name>` resolve against it. */
  baseDir: string;
  /** Where `ctx.dataDir` folders are made. Default `<baseDir>/.data/plugins`. */
  dataRoot?: string;
  /** How long disposal waits for `onDispose` callbacks. Default 5000 ms. */
  disposeTimeoutMs?: number;
}

export type { PluginConfig };
