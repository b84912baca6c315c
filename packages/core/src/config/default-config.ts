import { parseConfig } from './parse-config.js';
import type { GatewayConfig } from './types.js';

/**
 * The file the gateway writes on first start. Plain JSON in NapCat's layout
 * (NapCat itself can read it back); only NapCat's own keys appear in the
 * entries, this project's extra keys take their defaults. What it enables:
 * the sandbox backend, an HTTP API on 127.0.0.1:3000, a forward WebSocket on
 * 127.0.0.1:3001 and the admin API on 127.0.0.1:6099, no tokens. The other
 * four kinds are there, disabled, as examples to switch on.
 */
function defaultConfigObject() {
  return {
    network: {
      httpServers: [
        {
          name: 'http-server',
          enable: true,
          host: '127.0.0.1',
          port: 3000,
          enableCors: true,
          enableWebsocket: false,
          messagePostFormat: 'array',
          token: '',
          debug: false,
        },
      ],
      httpSseServers: [
        {
          name: 'http-sse-server',
          enable: false,
          host: '127.0.0.1',
          // Not 3000, so switching it on doesn't clash with the HTTP server.
          port: 3002,
          enableCors: true,
          enableWebsocket: false,
          messagePostFormat: 'array',
          token: '',
          reportSelfMessage: false,
          debug: false,
        },
      ],
      httpClients: [
        {
          name: 'http-client',
          enable: false,
          url: 'http://localhost:8080',
          messagePostFormat: 'array',
          reportSelfMessage: false,
          token: '',
          debug: false,
        },
      ],
      websocketServers: [
        {
          name: 'websocket-server',
          enable: true,
          host: '127.0.0.1',
          port: 3001,
          messagePostFormat: 'array',
          reportSelfMessage: false,
          token: '',
          enableForcePushEvent: true,
          debug: false,
          heartInterval: 30000,
        },
      ],
      websocketClients: [
        {
          name: 'websocket-client',
          enable: false,
          url: 'ws://localhost:8082',
          messagePostFormat: 'array',
          reportSelfMessage: false,
          reconnectInterval: 5000,
          token: '',
          debug: false,
          heartInterval: 30000,
        },
      ],
      plugins: [
        {
          name: 'plugin',
          enable: false,
          // The example plugin (answers ping and /roll): switch it on to see a plugin work.
          module: '@onebot-gateway/plugin/examples/ping-pong',
          messagePostFormat: 'array',
          reportSelfMessage: false,
          debug: false,
          options: {},
        },
      ],
    },
    gateway: {
      backend: { type: 'sandbox' },
      admin: { enable: true, host: '127.0.0.1', port: 6099, token: '' },
      logLevel: 'info',
    },
  };
}

export function defaultConfigText(): string {
  return `${JSON.stringify(defaultConfigObject(), null, 2)}\n`;
}

/** The default file, resolved: every default filled in. */
export function defaultConfig(): GatewayConfig {
  return parseConfig(defaultConfigText(), { fileName: '<default config>' });
}
