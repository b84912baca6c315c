import type { FastifyInstance } from 'fastify';
import { upgradeConstraintName } from '@onebot-gateway/core/internal';
import { HttpRefusal, sendRefusal } from '@onebot-gateway/http-server';
import type { SseHub } from './sse-hub.js';
import { parseLastEventId } from './sse-frames.js';

export const EVENTS_PATH = '/_events';

const streamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.join(', ');
  return undefined;
}

/**
 * `GET /_events`. Authentication already happened in the HTTP app's guard
 * (header or `access_token` query, since EventSource cannot set headers).
 * `lastEventId` in the query serves clients that cannot set Last-Event-ID.
 */
export function registerEventsRoute(app: FastifyInstance, hub: SseHub): void {
  for (const url of [EVENTS_PATH, `${EVENTS_PATH}/`]) registerEventsPath(app, hub, url);
}

function registerEventsPath(app: FastifyInstance, hub: SseHub, url: string): void {
  // With enableWebsocket the static `/_events` route would take WebSocket upgrades
  // too, which must reach the universal role: it asks for plain requests only.
  const constraints = app.hasConstraintStrategy(upgradeConstraintName)
    ? { [upgradeConstraintName]: 'plain' }
    : {};
  app.get<{ Querystring: Record<string, unknown> }>(url, { constraints }, (request, reply) => {
    const resumeAfter =
      parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query.lastEventId);
    // Headers set by earlier hooks (CORS) must survive taking over the response.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      const text = headerText(value);
      if (text !== undefined) headers[name] = text;
    }
    reply.hijack();
    hub.open(reply.raw, { ...headers, ...streamHeaders }, resumeAfter, request.ip);
  });
  app.post(url, (_request, reply) => {
    reply.header('allow', 'GET');
    return sendRefusal(
      reply,
      new HttpRefusal(
        'BAD_REQUEST',
        `${EVENTS_PATH} is an event stream; open it with GET (EventSource)`,
        405,
      ),
    );
  });
}
