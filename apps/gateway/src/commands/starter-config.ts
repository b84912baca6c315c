import { commentLines, field, fieldsText, type Field, type Item } from './commented-json5.js';

/**
 * The commented starting config `onebot-gateway init` writes: JSON5 (every
 * key has a `//` comment saying what it does) in NapCat's onebot11.json
 * layout, with quoted keys and no trailing commas so it also pastes into
 * NapCat's own file. Pure text building; the command validates the result
 * with core's parser before writing it.
 */

export interface StarterConfigOptions {
  /** Relay in front of this OneBot 11 forward WebSocket; omitted = the sandbox. */
  relay?: { url: string; token: string };
  /** Address every server adapter listens on. */
  host: string;
  /** Token every adapter entry gets ("" = none). */
  accessToken: string;
  /** Admin API token; the admin API follows `host` only with one (a token-less admin API stays on loopback). */
  adminToken: string;
}

/** The ports of a scenario; the relay's keep clear of NapCat's usual 3000/3001 and its WebUI on 6099. */
export interface StarterPorts {
  http: number;
  sse: number;
  ws: number;
  admin: number;
}

export function starterPorts(options: Pick<StarterConfigOptions, 'relay'>): StarterPorts {
  return options.relay
    ? { http: 3100, ws: 3101, sse: 3102, admin: 6100 }
    : { http: 3000, ws: 3001, sse: 3002, admin: 6099 };
}

/** Where the admin API listens: `host` with a token, loopback without (it would refuse to start otherwise). */
export function starterAdminHost(options: Pick<StarterConfigOptions, 'host' | 'adminToken'>): string {
  return options.adminToken === '' ? '127.0.0.1' : options.host;
}

const FORMAT_COMMENT = '"array": messages as segments; "string": as CQ-code text.';
const DEBUG_COMMENT = 'Log every request, frame and answer of this adapter (cut at 16 KiB, tokens masked).';
const SELF_COMMENT = "Also deliver the bot's own messages (message_sent events).";

function nameField(name: string): Field {
  return field(
    'name',
    name,
    'Unique name across all arrays: logs, /api/adapters and hot reload know the adapter by it.',
  );
}

function serverToken(token: string): Field {
  return field(
    'token',
    token,
    'Clients must send it ("Authorization: Bearer <token>" or ?access_token=); "" = no auth.\nSet one before listening beyond 127.0.0.1.',
  );
}

function hostField(host: string): Field {
  return field(
    'host',
    host,
    'Listen address: "127.0.0.1" is this machine only, "0.0.0.0" every interface (set a token then).',
  );
}

function adapters(options: StarterConfigOptions, ports: StarterPorts): Field[] {
  const { host, accessToken } = options;
  const httpServer: Item = {
    comment: 'HTTP API: GET or POST http://host:port/<action>, e.g. /send_group_msg?group_id=...&message=...',
    fields: [
      nameField('http-server'),
      field('enable', true, 'Run this adapter; false keeps the entry as a switched-off example.'),
      hostField(host),
      field('port', ports.http, 'TCP port (0 = any free port, shown in the log and /api/adapters).'),
      field(
        'enableCors',
        true,
        'Answer CORS preflights for browser clients (any origin with a token; without one, only the allowed ones).',
      ),
      field('enableWebsocket', false, 'Also accept forward WebSocket connections on this port.'),
      field('messagePostFormat', 'array', FORMAT_COMMENT),
      serverToken(accessToken),
      field('debug', false, DEBUG_COMMENT),
    ],
  };
  const sseServer: Item = {
    comment: 'HTTP API plus a Server-Sent Events stream of every event at GET /_events.',
    fields: [
      nameField('http-sse-server'),
      field('enable', true, 'Run this adapter.'),
      hostField(host),
      field('port', ports.sse, 'TCP port of the API and the /_events stream.'),
      field('enableCors', true, 'Answer CORS preflights (browsers reading /_events with EventSource).'),
      field('enableWebsocket', false, 'Also accept forward WebSocket connections on this port.'),
      field('messagePostFormat', 'array', FORMAT_COMMENT),
      serverToken(accessToken),
      field('reportSelfMessage', false, SELF_COMMENT),
      field('debug', false, DEBUG_COMMENT),
    ],
  };
  const wsServer: Item = {
    comment:
      'Forward WebSocket: bots connect to ws://host:port/ (events and actions), /api (actions) or /event (events).',
    fields: [
      nameField('websocket-server'),
      field('enable', true, 'Run this adapter.'),
      hostField(host),
      field('port', ports.ws, 'TCP port.'),
      field('messagePostFormat', 'array', FORMAT_COMMENT),
      field('reportSelfMessage', false, SELF_COMMENT),
      serverToken(accessToken),
      field(
        'enableForcePushEvent',
        true,
        'Push events to a universal (/) connection at once; false: only after its first frame.',
      ),
      field('debug', false, DEBUG_COMMENT),
      field('heartInterval', 30000, 'ms between heartbeat meta events (0 = none).'),
    ],
  };
  const httpClient: Item = {
    comment:
      'Reverse HTTP: POSTs every event to your bot; a JSON reply with quick-operation keys (reply, ...) is carried out.',
    fields: [
      nameField('http-client'),
      field('enable', false, "Switched off: set your bot's URL below, then true."),
      field('url', 'http://127.0.0.1:8080/', 'Where events are POSTed.'),
      field('messagePostFormat', 'array', FORMAT_COMMENT),
      field('reportSelfMessage', false, SELF_COMMENT),
      field(
        'token',
        accessToken,
        'Sent as "Authorization: Bearer <token>" and signs each body (X-Signature: sha1=...); "" = neither.',
      ),
      field('debug', false, DEBUG_COMMENT),
    ],
  };
  const wsClient: Item = {
    comment:
      'Reverse WebSocket: the gateway connects to your bot framework and reconnects when it goes away.',
    fields: [
      nameField('websocket-client'),
      field('enable', false, "Switched off: set your framework's URL below, then true."),
      field(
        'url',
        'ws://127.0.0.1:8080/onebot/v11/ws',
        "The framework's OneBot 11 endpoint (this one is NoneBot's; Koishi: ws://127.0.0.1:5140/onebot).",
      ),
      field('messagePostFormat', 'array', FORMAT_COMMENT),
      field('reportSelfMessage', false, SELF_COMMENT),
      field('reconnectInterval', 5000, 'ms between reconnect attempts.'),
      field('token', accessToken, 'Sent as "Authorization: Bearer <token>" on connect; "" = none.'),
      field('debug', false, DEBUG_COMMENT),
      field('heartInterval', 30000, 'ms between heartbeat meta events (0 = none).'),
    ],
  };
  return [
    field('httpServers', { array: [httpServer] }, 'HTTP API servers.'),
    field('httpSseServers', { array: [sseServer] }, 'HTTP API + Server-Sent Events servers.'),
    field('websocketServers', { array: [wsServer] }, 'Forward WebSocket servers.'),
    field('httpClients', { array: [httpClient] }, 'Reverse HTTP (event POST) clients.'),
    field('websocketClients', { array: [wsClient] }, 'Reverse WebSocket clients.'),
    field(
      'plugins',
      { array: [] },
      'In-process plugins: {"name": "pong", "enable": true, "module": "./my-plugin.mjs"} (see @onebot-gateway/plugin).',
    ),
  ];
}

function backend(options: StarterConfigOptions): Field {
  const { relay } = options;
  if (!relay) {
    return field(
      'backend',
      {
        object: [
          field(
            'type',
            'sandbox',
            '"sandbox": a simulated QQ account (bot 10000, friends 10001 Alice and 10002 Bob, group 20001),\nno account needed; its world (selfId, friends, groups, ...) can be set here, see @onebot-gateway/backend-sandbox.\n"upstream": relay in front of NapCat, Lagrange, LLOneBot or go-cqhttp (then "url" is required).',
          ),
        ],
      },
      'Where events come from and actions go. Changes apply on the next start.',
    );
  }
  return field(
    'backend',
    {
      object: [
        field(
          'type',
          'upstream',
          '"upstream": relay every action and event of an existing OneBot 11 implementation.',
        ),
        field(
          'url',
          relay.url,
          'Its forward WebSocket (NapCat: a WebSocket server entry in its onebot11.json).',
        ),
        field('token', relay.token, 'Its access token, sent as "Authorization: Bearer <token>"; "" = none.'),
        field('timeout', 30000, 'ms an action waits for its answer before failing with retcode 100.'),
        field(
          'reconnectInterval',
          5000,
          'ms between reconnect attempts while it is down (the gateway keeps running).',
        ),
      ],
    },
    'Where events come from and actions go. Changes apply on the next start.',
  );
}

function admin(options: StarterConfigOptions, ports: StarterPorts): Field {
  return field(
    'admin',
    {
      object: [
        field('enable', true, 'Run the admin API: /api/health, /api/adapters, /metrics, /api/config, ...'),
        field(
          'host',
          starterAdminHost(options),
          'Listen address. Without a token it must stay on loopback (127.0.0.1) or it does not start.',
        ),
        field(
          'port',
          ports.admin,
          options.relay
            ? "TCP port (not 6099: that is NapCat's WebUI)."
            : "TCP port (NapCat's WebUI also defaults to 6099).",
        ),
        field('token', options.adminToken, 'Required token ("Authorization: Bearer <token>"); "" = none.'),
      ],
    },
    'The operator API. Changes apply on the next start.',
  );
}

/** The whole file for a scenario. */
export function starterConfigText(options: StarterConfigOptions): string {
  const ports = starterPorts(options);
  const scenario = options.relay ? `relay in front of ${options.relay.url}` : 'sandbox';
  const header = [
    `OneBot Gateway config, written by \`onebot-gateway init\` (${scenario}).`,
    'JSON5: comments are fine. The "network" part is NapCat\'s onebot11.json layout.',
    'Check it: onebot-gateway check --config <this file>. Run it: onebot-gateway --config <this file>.',
    'While the gateway runs, saved changes to "network" apply at once, without dropping untouched connections.',
    'Saving through the admin API (PUT /api/config) rewrites the file as plain JSON: these comments would go.',
  ];
  const root: Field[] = [
    field('network', { object: adapters(options, ports) }, 'The adapters: how bots reach the account.'),
    field(
      'gateway',
      {
        object: [
          backend(options),
          admin(options, ports),
          field('logLevel', 'info', 'fatal, error, warn, info, debug, trace or silent; applies at once.'),
        ],
      },
      "This gateway's own settings (NapCat ignores this section).",
    ),
  ];
  return `${commentLines(header.join('\n'), '').join('\n')}\n{\n${fieldsText(root, '  ')}\n}\n`;
}
