import { adapterKinds, adapterSchemas } from './adapter-schema.js';
import type { ConfigField, JsonSchema } from './fields.js';
import { configFieldsSchema } from './fields-schema.js';
import { adminFields, gatewaySectionFields, upstreamFields } from './gateway-section.js';
import { natsBackendFields } from './nats-backend-fields.js';
import { rateLimitFields } from './rate-limit-section.js';
import type { AdapterKind } from './types.js';

export interface ConfigSchemaOptions {
  /**
   * Keys an adapter package reads besides core's (e.g. http-client's
   * `stopTimeout`), by kind: each package owns its own, the gateway composes.
   */
  adapterFields?: Partial<Record<AdapterKind, { readonly [key: string]: ConfigField }>>;
  /** Schemas of `gateway.backend` by `type` besides "upstream" (the sandbox world, ...). */
  backends?: Readonly<Record<string, JsonSchema>>;
}

const kindDescriptions: { readonly [K in AdapterKind]: string } = {
  httpServers: 'HTTP API servers (POST /<action>), optionally with WebSocket on the same port.',
  httpSseServers: 'HTTP API servers that also stream events as Server-Sent Events (GET /_events).',
  websocketServers: 'Forward WebSocket servers: bots connect to / (universal), /api or /event.',
  httpClients: 'Reverse HTTP: every event is POSTed to a URL; the answer can carry a quick operation.',
  websocketClients: 'Reverse WebSocket: the gateway connects to the bot, reconnecting and buffering.',
  plugins: 'In-process plugins: a module loaded into the gateway.',
  natsBridges:
    'Distributed mode (origin side): publish every event to a NATS JetStream stream and serve actions over NATS.',
};

/**
 * The JSON Schema (draft-07) of a whole config file: `network` as NapCat
 * writes it plus the `gateway` section. Unknown keys are allowed at every
 * level, as the parser keeps them.
 */
export function buildConfigSchema(options: ConfigSchemaOptions = {}): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const networkProperties: Record<string, JsonSchema> = {};
  for (const kind of adapterKinds) {
    const fields = { ...adapterSchemas[kind], ...options.adapterFields?.[kind] };
    definitions[kind] = configFieldsSchema(fields);
    networkProperties[kind] = {
      description: kindDescriptions[kind],
      type: ['array', 'null'],
      items: { $ref: `#/definitions/${kind}` },
      default: [],
    };
  }
  const backends: Record<string, JsonSchema> = {
    upstream: configFieldsSchema(upstreamFields),
    // Distributed mode (edge side): core owns these keys, as it owns the natsBridges entry's.
    nats: configFieldsSchema(natsBackendFields),
    ...options.backends,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'OneBot Gateway config (onebot11.json)',
    description: 'A NapCat-compatible OneBot 11 network config plus the gateway section.',
    type: 'object',
    properties: {
      network: {
        description: 'The adapters, by kind; several entries of each kind may run at once.',
        type: ['object', 'null'],
        properties: networkProperties,
      },
      gateway: {
        description: "This gateway's own settings; NapCat files have none and load as they are.",
        type: ['object', 'null'],
        properties: {
          ...(configFieldsSchema(gatewaySectionFields)['properties'] as JsonSchema),
          backend: backendSchema(backends),
          admin: nullableObject(
            'The admin API: health, status, metrics, config and the dashboard.',
            configFieldsSchema(adminFields),
          ),
          rateLimit: nullableObject(
            'Outbound send rate limit per account.',
            configFieldsSchema(rateLimitFields),
          ),
        },
      },
    },
    definitions,
  };
}

function nullableObject(description: string, schema: JsonSchema): JsonSchema {
  return { description, ...schema, type: ['object', 'null'] };
}

/**
 * `gateway.backend`: one schema per `type`, chosen by if/then so an editor
 * offers the right keys. Without a `type` the parser reads "sandbox" (or
 * refuses an object that has a `url`, a relay missing its type).
 */
function backendSchema(backends: Readonly<Record<string, JsonSchema>>): JsonSchema {
  const types = Object.keys(backends).includes('sandbox')
    ? Object.keys(backends)
    : ['sandbox', ...Object.keys(backends)];
  return {
    description: 'Where events come from and actions go: "sandbox" (a simulated account) or a relay.',
    type: ['object', 'null'],
    properties: {
      type: {
        description: 'The backend kind (absent or null: "sandbox").',
        type: ['string', 'null'],
        enum: [...types, null],
        default: 'sandbox',
      },
    },
    if: { not: { required: ['type'] } },
    then: { not: { required: ['url'] } },
    allOf: Object.entries(backends).map(([type, schema]) => ({
      // No `type` reads as "sandbox", so only the sandbox's branch applies without one.
      if:
        type === 'sandbox'
          ? { properties: { type: { enum: ['sandbox', null] } } }
          : { properties: { type: { const: type } }, required: ['type'] },
      then: schema,
    })),
  };
}
