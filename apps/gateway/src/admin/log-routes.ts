import type { Logger } from '@onebot-gateway/core';
import type { FastifyInstance } from 'fastify';
import type { DashboardSources } from './dashboard-sources.js';
import { createAdminStreamSet, type AdminStreamOptions } from './sse-streams.js';

/**
 * `GET /api/logs`: the gateway's log lines as Server-Sent Events, each
 * `data:` one JSON line exactly as the log wrote it (so redacted like the
 * log): the kept recent lines first, then live ones.
 */
export function registerLogRoutes(
  app: FastifyInstance,
  sources: DashboardSources,
  logger: Logger,
  limits: Partial<Pick<AdminStreamOptions, 'maxBufferedBytes' | 'pingIntervalMs'>> = {},
): void {
  const streams = createAdminStreamSet(app, { what: 'logs', logger, ...limits });
  app.get('/api/logs', async (request, reply) => {
    const tap = sources.logTap;
    if (!tap) {
      return reply.code(404).send({
        error:
          'log lines are not available: the gateway was started with a logger not made by createGatewayLogger',
      });
    }
    streams.open(request, reply, (stream) => {
      // A pino line is JSON on one line: one `data:` field carries it.
      for (const line of tap.recent()) if (!stream.write(`data: ${line}\n\n`)) break;
      return tap.listen((line) => stream.write(`data: ${line}\n\n`));
    });
    return reply;
  });
}
