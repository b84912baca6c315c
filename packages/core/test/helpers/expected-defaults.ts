export const MiB = 1024 * 1024;

// gateway.rateLimit: off; when switched on, one call per second from a bucket of one, for every
// action that sends something visible (the gateway README says why each is there).
export const expectedRateLimitDefaults = {
  enable: false,
  frequency: 1,
  bucket: 1,
  actions: [
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
  ],
  maxQueue: 1000,
  maxQueueBytes: 16 * MiB,
};

/** The gateway section of a file that has none (or an empty one): the README's table. */
export const expectedGatewayDefaults = {
  logLevel: 'info',
  backend: { type: 'sandbox' },
  admin: {
    enable: true,
    host: '127.0.0.1',
    port: 6099,
    token: '',
    allowedHosts: [],
    allowInsecure: false,
    maxConnections: 64,
  },
  rateLimit: expectedRateLimitDefaults,
};

/** The NATS connection keys a bridge (natsBridges) and an edge (gateway.backend) share, by default. */
export const expectedNatsConnectionDefaults = {
  servers: ['nats://127.0.0.1:4222'],
  token: '',
  user: '',
  pass: '',
  subjectPrefix: 'onebot.v11',
  stream: 'ONEBOT_EVENTS',
};
