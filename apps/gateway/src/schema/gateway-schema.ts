import type { ActionJsonSchema, JsonSchema } from '@onebot-gateway/core/schema';
import { gatewayAdapterFields } from '../config/adapter-fields.js';

/**
 * The gateway's whole schema, composed from what each package owns: core's
 * network and gateway sections, and each backend's own settings. Loaded on
 * demand (the `schema` command, `GET /api/schema`), never by a plain run.
 */
export interface GatewaySchemaDocument {
  /** JSON Schema (draft-07) of a config file. */
  config: JsonSchema;
  /** Every action the router knows: description, params and result schema. */
  actions: Record<string, ActionJsonSchema>;
}

export async function buildGatewayConfigSchema(): Promise<JsonSchema> {
  const [{ buildConfigSchema, configFieldsSchema }, { sandboxConfigSchema }, { upstreamConfigFields }] =
    await Promise.all([
      import('@onebot-gateway/core/schema'),
      import('@onebot-gateway/backend-sandbox/schema'),
      import('@onebot-gateway/backend-upstream/config-fields'),
    ]);
  return buildConfigSchema({
    adapterFields: gatewayAdapterFields,
    backends: { sandbox: sandboxConfigSchema(), upstream: configFieldsSchema(upstreamConfigFields) },
  });
}

export async function buildGatewayActionSchemas(): Promise<Record<string, ActionJsonSchema>> {
  const { buildActionSchemas } = await import('@onebot-gateway/core/schema');
  return buildActionSchemas();
}

export async function buildGatewaySchemaDocument(): Promise<GatewaySchemaDocument> {
  const [config, actions] = await Promise.all([buildGatewayConfigSchema(), buildGatewayActionSchemas()]);
  return { config, actions };
}
