import { isUtf8 } from 'node:buffer';
import { parseActionText } from '@onebot-gateway/core/internal';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpRefusal } from './onebot-reply.js';
import { parseUrlEncoded, tooManyParametersMessage, type UrlEncodedFields } from './url-encoded.js';

/** A parsed request body: a JSON value, form fields, or nothing at all. */
export type ParsedBody = { kind: 'json'; value: unknown } | { kind: 'form'; fields: UrlEncodedFields };

const supportedTypes = 'application/json or application/x-www-form-urlencoded';

function requireUtf8(body: Buffer): void {
  if (!isUtf8(body)) {
    throw new HttpRefusal('BAD_REQUEST', 'request body is not valid UTF-8; encode the body as UTF-8');
  }
}

function parseJsonBody(body: Buffer): ParsedBody | undefined {
  // An empty body means "no parameters", however the client labelled it.
  if (body.length === 0) return undefined;
  requireUtf8(body);
  const parsed = parseActionText(body);
  if (!parsed.ok) throw new HttpRefusal('BAD_REQUEST', parsed.response.message);
  return { kind: 'json', value: parsed.request };
}

/**
 * Form fields as an object; a repeated field becomes an array, as in a query
 * string. More than MAX_PARAMETERS fields: a 400 saying so, decided before
 * anything is decoded.
 */
export function parseFormFields(text: string): UrlEncodedFields {
  const fields = parseUrlEncoded(text);
  if (fields === undefined) throw new HttpRefusal('BAD_REQUEST', tooManyParametersMessage('form body'));
  return fields;
}

function parseFormBody(body: Buffer): ParsedBody | undefined {
  if (body.length === 0) return undefined;
  requireUtf8(body);
  return { kind: 'form', fields: parseFormFields(body.toString('utf8')) };
}

/**
 * Replace fastify's parsers with the ones protocol.md section 7 asks for:
 * JSON, url-encoded forms, a body without a content type tried as JSON, and
 * 406 for anything else. Parsers get raw bytes so invalid UTF-8 is refused
 * instead of being silently replaced with U+FFFD.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request, body, done) => {
      try {
        done(null, parseFormBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body, done) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined) {
      done(
        new HttpRefusal(
          'BAD_REQUEST',
          `content type "${contentType}" is not supported; send ${supportedTypes}`,
          406,
        ),
        undefined,
      );
      return;
    }
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
