import type { Logger, MessageFormat } from '@onebot-gateway/core';
import { encodeEventFrame } from '@onebot-gateway/sse-server';
import type { FastifyInstance } from 'fastify';
import type { DashboardSources } from './dashboard-sources.js';
import { createAdminStreamSet, type AdminStreamOptions } from './sse-streams.js';

/**
 * `GET /api/events?format=array|string`: every event the backend publishes
 * (the bot's own messages included) as Server-Sent Events, one `id`/`data`
 * frame per event, like sse-server's `/_events`.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  sources: DashboardSources,
  logger: Logger,
  limits: Partial<Pick<AdminStreamOptions, 'maxBufferedBytes' | 'pingIntervalMs'>> = {},
): void {
  const streams = createAdminStreamSet(app, { what: 'events', logger, ...limits });
  app.get<{ Querystring: { format?: string } }>('/api/events', async (request, reply) => {
    const subscribe = sources.subscribe;
    if (!subscribe) return reply.code(404).send({ error: 'this admin API has no event source' });
    const format = request.query.format ?? 'array';
    if (format !== 'array' && format !== 'string') {
      return reply
        .code(400)
        .send({ error: `format must be "array" or "string", got ${JSON.stringify(format)}` });
    }
    let seq = 0;
    streams.open(request, reply, (stream) =>
      subscribe({ format: format as MessageFormat, reportSelfMessage: true }, (delivered) => {
        stream.write(encodeEventFrame(++seq, delivered.json));
      }),
    );
    return reply;
  });
}
