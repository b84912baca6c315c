import Fastify, { type FastifyInstance } from 'fastify';
import { registerDashboard } from '../src/server/index.js';

/** A `GET /api/schema` answer in the shape the gateway's schema route gives (issue 11). */
export const SCHEMA = {
  config: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      network: {
        type: 'object',
        properties: {
          websocketServers: { type: 'array', items: { $ref: '#/definitions/websocketServers' } },
          // A kind the dashboard has no title for: it comes from the schema alone.
          websocketClients: { type: 'array', items: { $ref: '#/definitions/websocketClients' } },
          natsBridges: { type: 'array', items: { $ref: '#/definitions/natsBridges' } },
        },
      },
    },
    definitions: {
      websocketClients: {
        type: 'object',
        properties: {
          name: { type: 'string', default: 'websocket-client' },
          enable: { type: 'boolean', default: true },
          url: { type: 'string', default: 'ws://localhost:8082' },
          token: { type: 'string', default: '', writeOnly: true },
        },
      },
      natsBridges: {
        type: 'object',
        properties: {
          name: { type: 'string', default: 'nats-bridge' },
          enable: { type: 'boolean', default: true },
          servers: { type: 'string', default: 'nats://127.0.0.1:4222' },
          pass: { type: 'string', default: '', writeOnly: true, description: 'NATS password' },
        },
      },
      websocketServers: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'unique adapter name' },
          enable: { type: 'boolean', default: true, description: 'run this adapter' },
          host: { type: 'string', default: '127.0.0.1', description: 'listen address' },
          port: { type: 'integer', minimum: 0, maximum: 65535, default: 3001, description: 'listen port' },
          token: { type: 'string', default: '', writeOnly: true, description: 'access token' },
          messagePostFormat: { type: 'string', enum: ['array', 'string'], default: 'array' },
          // NapCat files may hold a number as text: the gateway's schema says so with an anyOf.
          heartInterval: {
            anyOf: [
              { type: 'integer', minimum: 0, maximum: 2147483647 },
              { type: 'string', pattern: '^\\s*[+-]?\\d+\\s*$', description: 'the number as text' },
              { type: 'null' },
            ],
            default: 30000,
          },
        },
      },
    },
  },
  actions: {
    send_private_msg: {
      description: 'Send a private message.',
      params: {
        type: 'object',
        required: ['user_id', 'message'],
        properties: {
          user_id: { type: 'integer', description: 'the friend' },
          message: { type: ['string', 'array'], description: 'CQ string or segments' },
          auto_escape: { type: 'boolean', default: false },
        },
      },
      result: { type: 'object', properties: { message_id: { type: 'integer' } } },
    },
    get_login_info: {
      description: 'The bot account.',
      params: { type: 'object', properties: {} },
      result: {},
    },
  },
};

export const CONFIG = {
  network: {
    websocketServers: [{ name: 'ws', enable: true, host: '127.0.0.1', port: 3001, token: '********' }],
  },
  gateway: { admin: { token: '********' } },
};

export interface FakeAdminApi {
  app: FastifyInstance;
  origin: string;
  puts: unknown[];
  actions: Array<{ action: string; params: unknown }>;
  /** Set `total` to start streaming that many events on open /api/events streams, 1,000 per second. */
  burst: { total: number };
  /** What `/api/adapters` says of the backend; replace `current` to play a relay. */
  backend: { current: { type: string; selfId: number | null; status: Record<string, unknown> } };
  /** What `GET /api/config` answers; replace `current` for another file. */
  config: { current: Record<string, unknown> };
  /** The `/api/adapters` rows; replace `current` to show peers or a client waiting to reconnect. */
  adapters: { current: Array<Record<string, unknown>> };
  /** `gateway.eventsPublished` of `/api/adapters`: events the backend published, each once. */
  eventsPublished: { current: number };
  /** The admin token asked for (401 missing, 403 wrong, as the gateway); '' asks for none. Change it to play a restart. */
  auth: { token: string };
  /** Every request: its path and the Authorization header it carried. */
  requests: Array<{ path: string; authorization?: string; at: number }>;
}

/**
 * The dashboard over a scripted admin API: lets the browser test drive the
 * schema-generated forms with a schema of the documented shape, and a save the
 * server refuses with a problem at a path.
 */
export async function startFakeAdminApi(): Promise<FakeAdminApi> {
  const app = Fastify();
  const puts: unknown[] = [];
  const actions: Array<{ action: string; params: unknown }> = [];
  const burst = { total: 0 };
  const backend: FakeAdminApi['backend'] = {
    current: { type: 'sandbox', selfId: 10000, status: { online: true } },
  };
  const auth = { token: '' };
  const requests: FakeAdminApi['requests'] = [];
  const bearer = () => `Bearer ${auth.token}`;
  app.addHook('onRequest', async (request, reply) => {
    requests.push({
      path: request.url,
      at: Date.now(),
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    if (auth.token === '' || !request.url.startsWith('/api/') || request.url === '/api/session') return;
    if (request.headers.authorization === undefined)
      return reply.code(401).send({ error: 'admin API token required' });
    if (request.headers.authorization !== bearer())
      return reply.code(403).send({ error: 'admin API token is wrong' });
  });
  app.get('/api/session', async (request) => ({
    tokenRequired: auth.token !== '',
    authenticated: auth.token === '' || request.headers.authorization === bearer(),
  }));
  app.get('/api/schema', async () => SCHEMA);
  const config: FakeAdminApi['config'] = { current: CONFIG };
  app.get('/api/config', async () => config.current);
  const adapters: FakeAdminApi['adapters'] = {
    current: [
      {
        name: 'ws',
        kind: 'websocketServers',
        enable: true,
        status: 'running',
        address: '127.0.0.1:3001',
        connections: 0,
        eventsSent: 0,
        actionsHandled: 0,
        errors: 0,
      },
    ],
  };
  const eventsPublished = { current: 0 };
  app.get('/api/adapters', async () => ({
    adapters: adapters.current,
    backend: backend.current,
    gateway: {
      version: '0.0.0-test',
      uptimeSeconds: 1,
      memory: { rss: 1, heapUsed: 1 },
      eventsPublished: eventsPublished.current,
    },
    // As the gateway counts the answers of POST /api/actions/:action.
    admin: { actionsHandled: actions.length },
  }));
  app.put('/api/config', async (request, reply) => {
    puts.push(request.body);
    return reply.code(400).send({
      error: 'the config was not saved: 1 problem(s); nothing changed',
      problems: [
        {
          path: 'network.websocketServers[0].host',
          message: 'expected an IP address or host name, got "not a host!"',
        },
      ],
    });
  });
  app.post<{ Params: { action: string } }>('/api/actions/:action', async (request) => {
    actions.push({ action: request.params.action, params: request.body });
    return { status: 'ok', retcode: 0, data: { message_id: 7 }, message: '', wording: '' };
  });
  // 1,000 group messages per second (10 every 10 ms) for `seconds`, as the gateway's /api/events frames them.
  app.get<{ Querystring: { format?: string } }>('/api/events', (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let seq = 0;
    const timer = setInterval(() => {
      if (seq >= burst.total) return;
      let frames = '';
      for (let i = 0; i < 10; i++) {
        seq++;
        const event = {
          time: Math.floor(Date.now() / 1000),
          self_id: 10000,
          post_type: 'message',
          message_type: 'group',
          sub_type: 'normal',
          message_id: seq,
          group_id: 20001,
          user_id: 10001 + (seq % 3),
          message: [{ type: 'text', data: { text: `burst ${seq}` } }],
          raw_message: `burst ${seq}`,
        };
        frames += `id: ${seq}\ndata: ${JSON.stringify(event)}\n\n`;
      }
      reply.raw.write(frames);
    }, 10);
    request.raw.on('close', () => clearInterval(timer));
  });
  registerDashboard(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    puts,
    actions,
    burst,
    backend,
    adapters,
    config,
    eventsPublished,
    auth,
    requests,
  };
}
