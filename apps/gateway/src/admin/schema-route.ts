import type { FastifyInstance } from 'fastify';
import { buildGatewaySchemaDocument, type GatewaySchemaDocument } from '../schema/gateway-schema.js';

/**
 * `GET /api/schema`: `{config, actions}`, the JSON Schema of the config file
 * and of every action (description, params, result), from which the
 * dashboard builds its forms. Built on the first request (the schema
 * modules are not loaded by a gateway nobody asks) and kept: it depends on
 * the installed packages only, never on the running config.
 */
export function registerSchemaRoute(app: FastifyInstance): void {
  let document: Promise<GatewaySchemaDocument> | undefined;
  app.get('/api/schema', async () => {
    document ??= buildGatewaySchemaDocument();
    return document;
  });
}
