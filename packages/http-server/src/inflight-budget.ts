import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpRefusal } from './onebot-reply.js';

/** Bodies up to this size are never counted: `maxConnections` already bounds them (256 x 64 KiB = 16 MiB). */
export const SMALL_BODY_BYTES = 64 * 1024;
/** Large bodies being read at once may add up to this many times `maxBodySize`. */
export const INFLIGHT_BODY_FACTOR = 4;

function busy(inFlight: number, budget: number): HttpRefusal {
  return new HttpRefusal(
    'RATE_LIMITED',
    `the server is already reading ${inFlight} bytes of other large requests (limit ${budget}); retry shortly or send a smaller body`,
  );
}

/** Counts a chunked body's bytes as they arrive, failing once the shared budget would be passed. */
class CountingStream extends Transform {
  constructor(
    private readonly reserve: (bytes: number) => boolean,
    private readonly refusal: () => HttpRefusal,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.reserve(chunk.length)) callback(null, chunk);
    else callback(this.refusal());
  }
}

/**
 * Bounds the bytes of large request bodies read at the same time on one
 * listener to INFLIGHT_BODY_FACTOR x `maxBodySize`: each body is held whole
 * while it is read and parsed, so without this 256 connections each sending
 * a 16 MiB body would need gigabytes at once. A body announced with
 * `content-length` reserves its size before anything is read; a chunked one
 * reserves as it arrives. Past the budget the request is answered 429 /
 * 1429 and its connection closed; bodies of 64 KiB or less always pass, so
 * ordinary actions are never refused because large ones are in flight.
 */
export function registerInflightBodyBudget(app: FastifyInstance, maxBodySize: number): void {
  const budget = INFLIGHT_BODY_FACTOR * maxBodySize;
  let inFlight = 0;

  function holdUntilAnswered(reply: FastifyReply, counted: () => number): void {
    reply.raw.once('close', () => {
      inFlight -= counted();
    });
  }

  app.addHook('preParsing', (request, reply, payload, done) => {
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      const bytes = Number(declared);
      if (!(bytes > SMALL_BODY_BYTES) || bytes > maxBodySize) {
        // Small, or fastify's own body limit answers it with 413.
        done(null, payload);
        return;
      }
      if (inFlight + bytes > budget) {
        reply.header('connection', 'close');
        reply.header('retry-after', '1');
        done(busy(inFlight, budget), payload);
        return;
      }
      inFlight += bytes;
      holdUntilAnswered(reply, () => bytes);
      done(null, payload);
      return;
    }
    if (request.headers['transfer-encoding'] === undefined) {
      done(null, payload);
      return;
    }
    let counted = 0;
    // The first 64 KiB of a chunked body are free, like a small announced one;
    // past maxBodySize nothing more is counted, since fastify answers 413 there.
    const chargeable = (bytes: number): number =>
      Math.max(0, Math.min(bytes, maxBodySize) - SMALL_BODY_BYTES);
    const reserve = (bytes: number): boolean => {
      const next = counted + bytes;
      const newlyCounted = chargeable(next) - chargeable(counted);
      if (newlyCounted > 0 && inFlight + newlyCounted > budget) return false;
      inFlight += newlyCounted;
      counted = next;
      return true;
    };
    holdUntilAnswered(reply, () => chargeable(counted));
    const counting = new CountingStream(reserve, () => {
      reply.header('connection', 'close');
      return busy(inFlight, budget);
    });
    payload.on('error', (error) => counting.destroy(error));
    done(null, payload.pipe(counting));
  });
}
