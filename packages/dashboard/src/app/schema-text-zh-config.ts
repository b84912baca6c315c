/** zh-CN texts of the served schema's config field descriptions, keyed by the exact English text (see schema-text-zh.ts). */
export const configTextZhCN: Record<string, string> = {
  'A NapCat-compatible OneBot 11 network config plus the gateway section.':
    '兼容 NapCat 的 OneBot 11 网络配置，外加网关自己的 gateway 部分。',
  'The adapters, by kind; several entries of each kind may run at once.':
    '各类适配器，按类型分组；同一类型可同时运行多个条目。',
  'HTTP API servers (POST /<action>), optionally with WebSocket on the same port.':
    'HTTP API 服务器（POST /<action>），可选在同一端口上提供 WebSocket。',
  'HTTP API servers that also stream events as Server-Sent Events (GET /_events).':
    '同时以 Server-Sent Events（GET /_events）推送事件的 HTTP API 服务器。',
  'Reverse HTTP: every event is POSTed to a URL; the answer can carry a quick operation.':
    '反向 HTTP：每个事件都 POST 到一个 URL；响应中可以带快速操作。',
  'Forward WebSocket servers: bots connect to / (universal), /api or /event.':
    '正向 WebSocket 服务器：机器人连接到 /（通用）、/api 或 /event。',
  'Reverse WebSocket: the gateway connects to the bot, reconnecting and buffering.':
    '反向 WebSocket：由网关连接机器人，断线自动重连并缓存事件。',
  'In-process plugins: a module loaded into the gateway.': '进程内插件：加载到网关里的模块。',
  'Distributed mode (origin side): publish every event to a NATS JetStream stream and serve actions over NATS.':
    '分布式模式（源端）：把每个事件发布到 NATS JetStream 流，并通过 NATS 提供动作调用。',
  "This gateway's own settings; NapCat files have none and load as they are.":
    '本网关自己的设置；NapCat 的配置文件没有这一部分，可原样加载。',
  'Log level of the gateway and its adapters.': '网关及其适配器的日志级别。',
  'Where events come from and actions go: "sandbox" (a simulated account) or a relay.':
    '事件从哪里来、动作发往哪里："sandbox"（模拟账号）或中继。',
  'The backend kind (absent or null: "sandbox").': '后端类型（不填或 null 即 "sandbox"）。',
  'Forward WebSocket of the implementation (NapCat, Lagrange ...): ws:// or wss://.':
    '协议端（NapCat、Lagrange 等）的正向 WebSocket 地址：ws:// 或 wss://。',
  'The implementation\'s access token, sent as "Authorization: Bearer <token>".':
    '协议端的 access token，以 "Authorization: Bearer <token>" 发送。',
  'Milliseconds an action waits for the upstream.': '动作等待上游响应的毫秒数。',
  'the number as text': '以文本表示的数字',
  'Milliseconds between reconnects, plus up to 10 % (at most 1 s) of jitter.':
    '两次重连之间的毫秒数，另加最多 10 %（至多 1 s）的随机抖动。',
  'Unsent bytes to the upstream past which actions answer 1429 instead of queueing.':
    '发往上游的未发送字节超过此值时，动作直接返回 1429，不再排队。',
  'Actions waiting for an answer at once; more are refused with 1429.':
    '同时等待响应的动作数上限；超出的会以 1429 拒绝。',
  'WebSocket ping interval in milliseconds; an upstream that misses two (or reads nothing for one) is dropped and reconnected.':
    'WebSocket ping 间隔（毫秒）；上游漏掉两次 ping（或一个间隔内没有任何数据）即断开并重连。',
  'Largest frame accepted from the upstream, in bytes; a bigger one closes the connection (1009), which reconnects.':
    '从上游接受的最大帧（字节）；超过则关闭连接（1009）并重连。',
  'NATS server URLs (nats://host:4222); several = a cluster, the client fails over.':
    'NATS 服务器地址（nats://host:4222）；填多个即为集群，客户端会自动故障转移。',
  'a comma-separated list': '逗号分隔的列表',
  'NATS auth token; "" = none.': 'NATS 认证 token；"" 表示不使用。',
  'NATS user name (with pass); "" = none.': 'NATS 用户名（与 pass 一起使用）；"" 表示不使用。',
  'NATS password of user; "" = none.': 'user 对应的 NATS 密码；"" 表示不使用。',
  'First subject tokens: <prefix>.<self_id>.event.* and <prefix>.<self_id>.action.':
    '主题的前缀段：<prefix>.<self_id>.event.* 和 <prefix>.<self_id>.action。',
  'The JetStream stream that keeps the events.': '保存事件的 JetStream 流。',
  "The account this edge serves: the origin's self_id.": '此边缘端服务的账号：即源端的 self_id。',
  "Milliseconds an action waits for the origin's answer.": '动作等待源端响应的毫秒数。',
  'Largest event or answer accepted from NATS, in bytes; bigger events are dropped and counted.':
    '从 NATS 接受的事件或响应的最大字节数；更大的事件会被丢弃并计数。',
  "The simulated bot account's QQ number.": '模拟机器人账号的 QQ 号。',
  "The bot's nickname.": '机器人的昵称。',
  "The bot's friends; default Alice (10001) and Bob (10002).":
    '机器人的好友；默认是 Alice（10001）和 Bob（10002）。',
  "The friend's QQ number.": '好友的 QQ 号。',
  'Name on the profile; default "User <user_id>".': '资料上的昵称；默认为 "User <user_id>"。',
  "The bot's remark for this friend.": '机器人给这位好友的备注。',
  'Groups the bot is in; default group 20001 with Alice (admin), Bob and Carol.':
    '机器人所在的群；默认是群 20001，成员有 Alice（管理员）、Bob 和 Carol。',
  'The group number.': '群号。',
  'Default "Group <group_id>".': '默认为 "Group <group_id>"。',
  'Members besides the bot.': '除机器人以外的成员。',
  "The member's QQ number.": '成员的 QQ 号。',
  'Group card (the name shown in this group); "" = none.': '群名片（在本群显示的名字）；"" 表示没有。',
  'Role in the group; list the bot itself here to give it a role (it owns the group otherwise).':
    '群内身份；把机器人自己也列在这里可以给它指定身份（否则它是群主）。',
  'Special title shown next to the name.': '显示在名字旁边的专属头衔。',
  'Start with the whole group muted (only admins and the owner speak).':
    '启动时全员禁言（只有管理员和群主能发言）。',
  'Messages kept per conversation.': '每个会话保留的消息条数。',
  'Bytes of messages kept per conversation; the oldest go first.':
    '每个会话保留的消息字节数；超出时先删最旧的。',
  'Bytes of messages kept in all; the oldest go first.': '所有会话合计保留的消息字节数；超出时先删最旧的。',
  'Largest message accepted, in bytes of its CQ string (retcode 100 past it).':
    '接受的最大消息，按其 CQ 字符串的字节数计（超出返回 retcode 100）。',
  'Friend and group requests waiting for an answer; the oldest are dropped first.':
    '等待处理的好友和加群请求；超出时先丢弃最旧的。',
  'The admin API: health, status, metrics, config and the dashboard.':
    '管理 API：健康检查、状态、指标、配置和仪表盘。',
  'Run the admin API (health, status, metrics, config, dashboard).':
    '启用管理 API（健康检查、状态、指标、配置、仪表盘）。',
  'Admin API address; a non-loopback one needs a token.': '管理 API 的监听地址；非回环地址必须设置 token。',
  'Admin API port (0 = any free port).': '管理 API 的端口（0 = 任意空闲端口）。',
  'Admin API token; "" = no auth (then only a loopback address, unless allowInsecure).':
    '管理 API 的 token；"" 表示不鉴权（此时只能用回环地址，除非设置了 allowInsecure）。',
  'Extra Host names a loopback admin API answers ("dash.lan" any port, "dash.lan:8080" one), e.g. behind a proxy.':
    '回环地址上的管理 API 额外接受的 Host 名（"dash.lan" 匹配任意端口，"dash.lan:8080" 只匹配该端口），例如在反向代理之后。',
  'Start a token-less admin API on a non-loopback address anyway, with a warning.':
    '即使没有 token 也在非回环地址上启动管理 API，并给出警告。',
  'Open connections at once on the admin API.': '管理 API 同时打开的连接数上限。',
  'Serve the admin API on https://: {cert, key, ca?} PEM file paths.':
    '以 https:// 提供管理 API：{cert, key, ca?}，均为 PEM 文件路径。',
  'Outbound send rate limit per account.': '每个账号的发送速率限制。',
  'Hold sends to one token bucket per account, shared by every adapter; off: only _rate_limited calls wait.':
    '发送操作按账号共用一个令牌桶，所有适配器共享；关闭时只有 _rate_limited 调用会排队等待。',
  'Tokens per second; fractions allowed (0.5 = one send every 2 s).':
    '每秒补充的令牌数；可以是小数（0.5 = 每 2 s 发送一次）。',
  'Tokens the bucket holds: sends that may leave at once after a quiet time.':
    '令牌桶的容量：空闲一段时间后可以立即连续发出的条数。',
  'Actions that take a token; ["*"] = every action. Default: every action that sends something visible.':
    '需要消耗令牌的动作；["*"] = 所有动作。默认：所有会发出可见内容的动作。',
  'Sends that may wait; past it the call answers 1429 at once (0 = none wait).':
    '可以排队等待的发送数；超出时调用立即返回 1429（0 = 不排队）。',
  'Bytes of waiting params (as JSON); past it the call answers 1429 at once.':
    '排队中参数（按 JSON 计）的字节数上限；超出时调用立即返回 1429。',
  'Adapter name in logs, status and errors; unique across the whole config.':
    '适配器在日志、状态和错误信息中的名称；在整个配置中必须唯一。',
  'Run this entry; false keeps it in the file, stopped.':
    '运行此条目；设为 false 则保留在配置文件里但不启动。',
  'Message format of delivered events: "array" (segments) or "string" (CQ code).':
    '推送事件的消息格式："array"（消息段数组）或 "string"（CQ 码）。',
  "Log this adapter's traffic at info level (tokens redacted).":
    '以 info 级别记录此适配器的收发内容（token 会被隐去）。',
  'MongoDB-style query over each event in array form (whatever messagePostFormat); only matching events are delivered. Meta events pass unless it names post_type. Absent: every event. Example: {"group_id": {"$in": [123]}, "message": {"$elemMatch": {"type": "at", "data.qq": "10000"}}}':
    '对每个事件（按数组格式，不受 messagePostFormat 影响）执行的 MongoDB 风格查询；只推送匹配的事件。除非查询中指定了 post_type，元事件总会通过。不填：推送所有事件。示例：{"group_id": {"$in": [123]}, "message": {"$elemMatch": {"type": "at", "data.qq": "10000"}}}',
  'Browser origins (https://app.example) allowed in without a token; "*" = any page. The listener\'s own page is always allowed.':
    '无需 token 即可访问的浏览器来源（https://app.example）；"*" = 任意页面。监听器自身的页面始终允许。',
  'Open TCP connections at once on this listener; more are refused at once.':
    '此监听器同时打开的 TCP 连接数上限；超出的连接会被立即拒绝。',
  'Milliseconds a client has to send its request headers (or WebSocket handshake).':
    '客户端发送请求头（或 WebSocket 握手）的时限，单位毫秒。',
  'Serve TLS (https:// / wss://): {cert, key, ca?} PEM file paths relative to the config file. Absent: plain text. Re-read on reload and SIGHUP.':
    '启用 TLS（https:// / wss://）：{cert, key, ca?}，PEM 文件路径相对于配置文件。不填：明文。重载配置和收到 SIGHUP 时会重新读取。',
  'Address to listen on; 0.0.0.0 or :: for every interface.': '监听地址；0.0.0.0 或 :: 表示所有网卡。',
  'Port to listen on (0 = any free port).': '监听端口（0 = 任意空闲端口）。',
  'Answer CORS preflights and grant Access-Control-Allow-Origin (any origin with a token, allowedOrigins without one); false sets no CORS header.':
    '响应 CORS 预检请求并返回 Access-Control-Allow-Origin（带 token 时允许任意来源，不带 token 时只允许 allowedOrigins）；false 则不发送任何 CORS 头。',
  'Also accept WebSocket connections on this port (the WebSocket server paths and roles).':
    '同时在此端口上接受 WebSocket 连接（路径和角色与 WebSocket 服务器相同）。',
  'Access token clients must present; "" = no authentication.':
    '客户端必须提供的 access token；"" 表示不鉴权。',
  'Largest request body in bytes (413 past it); also the WebSocket frame limit.':
    '请求体的最大字节数（超出返回 413）；同时也是 WebSocket 帧的大小上限。',
  'Heartbeat meta event interval in milliseconds (0 = none); WebSocket and SSE connections.':
    '心跳元事件的间隔（毫秒，0 = 不发送）；用于 WebSocket 和 SSE 连接。',
  "Also deliver the bot's own messages (message_sent events).":
    '也推送机器人自己发出的消息（message_sent 事件）。',
  'false: a universal WebSocket connection gets events only after it sent its first frame.':
    'false：通用 WebSocket 连接在发出第一帧之后才开始收到事件。',
  'Unsent bytes after which a slow WebSocket or SSE client is cut (1013 / stream closed).':
    '未发送字节超过此值时，断开过慢的 WebSocket 或 SSE 客户端（1013 / 关闭事件流）。',
  'Events kept for Last-Event-ID replay after a reconnect (0 = no replay).':
    '断线重连后用于 Last-Event-ID 重放而保留的事件数（0 = 不重放）。',
  'Milliseconds between ": ping" comments that keep idle streams open through proxies.':
    '发送 ": ping" 注释的间隔（毫秒），让空闲的事件流在代理后面保持连接。',
  'Unsent bytes after which a slow event stream (or WebSocket client) is closed.':
    '未发送字节超过此值时，关闭过慢的事件流（或 WebSocket 客户端）。',
  'Byte cap of the Last-Event-ID replay buffer (oldest events dropped first); at most half of maxBufferedBytes.':
    'Last-Event-ID 重放缓冲区的字节上限（先丢弃最旧的事件）；最多为 maxBufferedBytes 的一半。',
  'Where events are POSTed: an http:// or https:// URL (path and query kept).':
    '事件 POST 到的地址：http:// 或 https:// URL（保留路径和查询参数）。',
  'When set, sent as "Authorization: Bearer <token>" and used to sign X-Signature.':
    '设置后以 "Authorization: Bearer <token>" 发送，并用于计算 X-Signature 签名。',
  'Heartbeat meta event interval in milliseconds (0 = none).': '心跳元事件的间隔（毫秒，0 = 不发送）。',
  'Milliseconds one POST attempt may take, connecting and the whole answer included.':
    '单次 POST 尝试的时限（毫秒），包括建立连接和接收完整响应。',
  'POSTs in flight at once (and pooled keep-alive connections).':
    '同时进行的 POST 数（以及连接池中保持的 keep-alive 连接数）。',
  'Events waiting for a free slot; more are dropped.': '等待空闲发送槽的事件数；超出的会被丢弃。',
  'Attempts in total per event, the first included (0 or 1 = no retry).':
    '每个事件的总尝试次数，包括第一次（0 或 1 = 不重试）。',
  'Milliseconds the whole stop may take: draining queued events, aborting the rest, the disable post.':
    '停止过程的总时限（毫秒）：发完排队的事件、中止其余的、发送 disable 上报。',
  'On a NATS edge: read events from a JetStream durable consumer, acknowledged after each 2xx (or after its retries are spent and the drop is logged); an edge restarted after a kill resumes where it stood.':
    '在 NATS 边缘端：从 JetStream 持久消费者读取事件，每次收到 2xx 后确认（或重试用尽、记录丢弃日志后确认）；边缘端被强制结束后重启，会从中断处继续。',
  'The durable consumer\'s name; "" = "onebot-<name>". One running process per name.':
    '持久消费者的名称；"" = "onebot-<name>"。每个名称同时只能有一个进程在运行。',
  'Heartbeat meta event interval in milliseconds (0 = none); also the ping interval (30 s when 0).':
    '心跳元事件的间隔（毫秒，0 = 不发送）；同时也是 ping 间隔（为 0 时取 30 s）。',
  'Largest frame accepted, in bytes; a bigger one closes the connection with 1009.':
    '接受的最大帧（字节）；超过则以 1009 关闭连接。',
  'Unsent bytes after which a slow client is disconnected with 1013.':
    '未发送字节超过此值时，以 1013 断开过慢的客户端。',
  'Where to connect: ws:// or wss:// (http:// and https:// mean the same).':
    '连接地址：ws:// 或 wss://（http:// 和 https:// 视同）。',
  'When set, sent as "Authorization: Bearer <token>" on the handshake.':
    '设置后在握手时以 "Authorization: Bearer <token>" 发送。',
  'Heartbeat meta event interval in milliseconds while connected (0 = none); also the ping interval.':
    '连接期间心跳元事件的间隔（毫秒，0 = 不发送）；同时也是 ping 间隔。',
  'Milliseconds between connection attempts, plus up to 10 % jitter.':
    '两次连接尝试之间的毫秒数，另加最多 10 % 的随机抖动。',
  'Events kept while disconnected; when full the oldest is dropped (0 = keep none).':
    '断开期间缓存的事件数；满了之后丢弃最旧的（0 = 不缓存）。',
  'Milliseconds a buffered event stays deliverable; older ones are dropped.':
    '缓存的事件保持可投递的毫秒数；更旧的会被丢弃。',
  'false accepts a self-signed or otherwise untrusted certificate on wss://.':
    '设为 false 时，wss:// 接受自签名或其他不受信任的证书。',
  '{ca}: a PEM file of CA certificates to trust on wss:// besides the system ones.':
    '{ca}：在系统证书之外，wss:// 额外信任的 CA 证书 PEM 文件。',
  'Largest frame accepted from the server, in bytes; bigger closes with 1009 and reconnects.':
    '从服务器接受的最大帧（字节）；超过则以 1009 关闭并重连。',
  'Unsent bytes after which the connection is closed with 1013 and reconnected.':
    '未发送字节超过此值时，以 1013 关闭连接并重连。',
  'Milliseconds to wait for the server to finish the WebSocket upgrade before trying again.':
    '等待服务器完成 WebSocket 升级的毫秒数，超时后重试。',
  "On a NATS edge: read events from a JetStream durable consumer, acknowledged once the server's pong confirmed the write; an edge restarted after a kill resumes where it stood.":
    '在 NATS 边缘端：从 JetStream 持久消费者读取事件，服务器的 pong 确认写入后再确认；边缘端被强制结束后重启，会从中断处继续。',
  'What to load: a package name or a path relative to the config file; absent: plugins/<name>.':
    '要加载的内容：包名，或相对于配置文件的路径；不填：plugins/<name>。',
  'Plain data handed to the plugin as ctx.options.': '作为 ctx.options 传给插件的纯数据。',
  'Heartbeat meta events to the plugin every so many milliseconds; 0 = none (NapCat sends none).':
    '每隔多少毫秒向插件发送心跳元事件；0 = 不发送（NapCat 不发送）。',
  "Milliseconds the plugin's setup (or NapCat's plugin_init) may take; past it the start fails.":
    '插件 setup（或 NapCat 的 plugin_init）的时限（毫秒）；超时则启动失败。',
  'Oldest event the stream keeps, in milliseconds (0 = no age limit).':
    '流中事件的最长保留时间（毫秒，0 = 不限时间）。',
  'Bytes the stream keeps before the oldest events go.': '流保留的字节数，超出后删除最旧的事件。',
  'Stream replicas (3 on a 3-node cluster).': '流的副本数（3 节点集群上为 3）。',
  'Bytes of events held in memory while NATS is unreachable; past it the oldest are dropped and counted.':
    'NATS 不可达时在内存中缓存的事件字节数；超出后丢弃最旧的并计数。',
};
