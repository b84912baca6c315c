import cors from '@fastify/cors';
import { type HttpServerConfig } from '@onebot-gateway/core';
import { checkRequestOrigin } from '@onebot-gateway/core/internal';
import type { FastifyInstance } from 'fastify';

/** What a preflight may ask for: the API answers GET and POST only (HEAD is a 405). */
const ALLOWED_METHODS = 'GET, POST';

/**
 * `enableCors: true`. With a token any origin is reflected (the token is the
 * guard); without one only the pages that may use the adapter anyway
 * (`allowedOrigins`, the listener's own host, see core's checkOrigin) get
 * `Access-Control-Allow-Origin`, so a page the operator happens to open can
 * not read the API's answers. Decided per request from `currentConfig()`, so
 * a reload that changes `token` or `allowedOrigins` applies at once.
 */
export async function registerCors(
  app: FastifyInstance,
  currentConfig: () => HttpServerConfig,
): Promise<void> {
  await app.register(cors, {
    delegator: (request, callback) => {
      const config = currentConfig();
      const verdict = checkRequestOrigin(request, {
        token: config.token,
        allowedOrigins: config.allowedOrigins,
      });
      callback(null, {
        // An empty list grants no origin but keeps the preflight answered
        // (`false` would let it fall through to the 405/auth guards).
        origin: verdict.allowed ? true : [],
        credentials: verdict.allowed,
        methods: ALLOWED_METHODS,
        // strictPreflight off: any OPTIONS is answered, even without the
        // preflight headers, so it never falls through to the 405/auth guards.
        strictPreflight: false,
        maxAge: 600,
      });
    },
  });
}
