import type { ServerResponse } from 'node:http';
import type {
  AdapterContext,
  AdapterCounters,
  AdapterPeer,
  DeliveredEvent,
  DurableEventSource,
  Logger,
} from '@onebot-gateway/core';
import {
  createPeer,
  createTimerScope,
  listPeers,
  heartbeatFromBackend,
  warnHeartbeatProblemOnce,
  createLifecycleEvent,
  logSequenceOf,
  passesFilterQuery,
  redactDebugText,
} from '@onebot-gateway/core/internal';
import type { SseServerConfig } from './config.js';
import { resumeFromLog, type HeldFrame } from './log-resume.js';
import { createReplayBuffer } from './replay-buffer.js';
import { PING_FRAME, encodeEventFrame } from './sse-frames.js';

interface SseStream {
  readonly response: ServerResponse;
  readonly remote: string;
  /** What status() lists: the socket's address:port, role `sse`, when it opened. */
  readonly peer: AdapterPeer;
  closed: boolean;
  /** Catching up from the log (log-resume.ts): live event frames wait here until it is done. */
  held?: HeldFrame[];
  heldBytes?: number;
}

export interface SseHubOptions {
  context: AdapterContext;
  logger: Logger;
  counters: AdapterCounters;
  currentConfig: () => SseServerConfig;
}

export interface SseHub {
  /** Subscribe to the bus and start the ping and heartbeat timers. */
  start(): void;
  /** End every stream, stop timers, unsubscribe. Seq and replay buffer survive for a restart. */
  stop(): void;
  reload(config: SseServerConfig, previous: SseServerConfig): void;
  /** Take over an HTTP response as an event stream; `resumeAfter` is the client's Last-Event-ID. */
  open(
    response: ServerResponse,
    headers: Record<string, string>,
    resumeAfter: number | undefined,
    remote: string,
  ): void;
  streamCount(): number;
  /** The open streams for status(), oldest first, at most 100. */
  peers(): AdapterPeer[];
}

/**
 * Every `/_events` stream of one adapter. One bus subscription: each event
 * gets the next seq, is encoded into SSE bytes once, kept for replay and
 * written to every stream. Streams that stop reading are cut at
 * `maxBufferedBytes` so they never hold memory or slow the others.
 */
export function createSseHub(options: SseHubOptions): SseHub {
  const { context, logger, counters, currentConfig } = options;
  const heartbeatProblem = warnHeartbeatProblemOnce(logger);
  const streams = new Set<SseStream>();
  const replay = createReplayBuffer(
    currentConfig().sseReplayBufferSize,
    currentConfig().sseReplayBufferBytes,
  );
  /** The format of the frames in the replay buffer: a replay must never mix formats. */
  let replayFormat = currentConfig().messagePostFormat;
  let seq = 0;
  let unsubscribe: (() => void) | undefined;
  /** The ping and heartbeat intervals; cleared together on stop and on a reload that changes them. */
  const timers = createTimerScope();

  function close(stream: SseStream): void {
    if (stream.closed) return;
    stream.closed = true;
    streams.delete(stream);
  }

  function cut(stream: SseStream, unsent: number): void {
    close(stream);
    stream.response.destroy();
    counters.errors += 1;
    counters.lastError = `SSE stream from ${stream.remote} closed: it stopped reading`;
    logger.warn(
      { remote: stream.remote, unsentBytes: unsent, limit: currentConfig().maxBufferedBytes },
      'closed an SSE stream that stopped reading (unsent data passed maxBufferedBytes)',
    );
  }

  function write(stream: SseStream, frame: Buffer): void {
    stream.response.write(frame);
    const unsent = stream.response.writableLength;
    if (unsent > currentConfig().maxBufferedBytes) cut(stream, unsent);
  }

  /** Event frames carry their seq; a stream still catching up holds them (pings and heartbeats it skips). */
  function broadcast(frame: Buffer, eventSeq?: number): void {
    for (const stream of streams) {
      if (!stream.held) write(stream, frame);
      else if (eventSeq !== undefined) hold(stream, { seq: eventSeq, frame });
    }
  }

  /** Held frames count against maxBufferedBytes like unsent ones: a catch-up that never ends cannot hold memory. */
  function hold(stream: SseStream, held: HeldFrame): void {
    stream.held!.push(held);
    stream.heldBytes = (stream.heldBytes ?? 0) + held.frame.length;
    if (stream.heldBytes > currentConfig().maxBufferedBytes) {
      stream.held = undefined;
      cut(stream, stream.heldBytes);
    }
  }

  function onEvent(delivered: DeliveredEvent): void {
    // On a NATS edge the id is the event's stream sequence; the log, not this buffer, serves a resume.
    const logged = logSequenceOf(delivered.event);
    seq = logged ?? seq + 1;
    const frame = encodeEventFrame(seq, delivered.json);
    if (logged === undefined) replay.push(seq, frame);
    counters.eventsSent += streams.size;
    if (currentConfig().debug)
      logger.info(
        { id: seq, streams: streams.size, event: redactDebugText(delivered.json, currentConfig().token) },
        'sse event',
      );
    broadcast(frame, seq);
  }

  function metaFrame(event: object): Buffer {
    // Meta events are per stream and never replayed; their id is the position
    // in the event sequence, so a reconnect resumes exactly after it.
    return encodeEventFrame(seq, JSON.stringify(event));
  }

  function subscribe(): void {
    const { messagePostFormat, reportSelfMessage, sseReplayBufferSize, sseReplayBufferBytes } =
      currentConfig();
    // The entry may have changed while stopped (reload of a stopped adapter).
    if (messagePostFormat !== replayFormat) replay.clear();
    replayFormat = messagePostFormat;
    replay.resize(sseReplayBufferSize, sseReplayBufferBytes);
    unsubscribe = context.subscribe(
      { format: messagePostFormat, reportSelfMessage, filter: () => currentConfig().filter },
      onEvent,
    );
  }

  function startTimers(): void {
    const { ssePingInterval, heartInterval } = currentConfig();
    timers.interval(() => broadcast(PING_FRAME), ssePingInterval);
    if (heartInterval <= 0) return;
    timers.interval(() => {
      if (streams.size === 0) return;
      // Never throws: a throw here, in a timer, would end the process.
      const heartbeat = heartbeatFromBackend(
        () => context.selfId(),
        heartInterval,
        () => context.backendStatus(),
        heartbeatProblem,
      );
      if (!passesFilterQuery(currentConfig().filter, heartbeat)) return;
      const frame = metaFrame(heartbeat);
      counters.eventsSent += streams.size;
      broadcast(frame);
    }, heartInterval);
  }

  function openFromLog(stream: SseStream, resumeAfter: number, log: DurableEventSource): void {
    const { response, remote } = stream;
    const connect = createLifecycleEvent(context.selfId(), 'connect');
    const config = currentConfig();
    if (passesFilterQuery(config.filter, connect)) {
      write(stream, encodeEventFrame(resumeAfter, JSON.stringify(connect)));
      counters.eventsSent += 1;
    }
    if (stream.closed) return;
    stream.held = [];
    streams.add(stream);
    response.once('close', () => close(stream));
    void resumeFromLog({
      source: log,
      subscription: {
        format: config.messagePostFormat,
        reportSelfMessage: config.reportSelfMessage,
        filter: () => currentConfig().filter,
      },
      afterSequence: resumeAfter,
      maxEvents: config.sseReplayBufferSize,
      logger,
      remote,
      write: (frame) => {
        if (stream.closed) return false;
        write(stream, frame);
        return !stream.closed;
      },
      takeHeld: () => {
        const held = stream.held ?? [];
        stream.held = undefined;
        return held;
      },
    }).then((replayed) => (counters.eventsSent += replayed));
  }

  return {
    start() {
      if (unsubscribe) return;
      subscribe();
      startTimers();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      timers.clearAll();
      for (const stream of [...streams]) {
        close(stream);
        // A reading client gets the end of the stream, then the connection
        // closes (left keep-alive it would hold up the server's close). One
        // that is not reading would never let the end through: it is cut.
        const { response } = stream;
        response.end(() => response.destroy());
        if (response.writableLength > 0) response.destroy();
      }
    },
    reload(config, previous) {
      if (
        config.messagePostFormat !== previous.messagePostFormat ||
        config.reportSelfMessage !== previous.reportSelfMessage ||
        config.sseReplayBufferSize !== previous.sseReplayBufferSize ||
        config.sseReplayBufferBytes !== previous.sseReplayBufferBytes
      ) {
        unsubscribe?.();
        subscribe();
      }
      if (
        config.ssePingInterval !== previous.ssePingInterval ||
        config.heartInterval !== previous.heartInterval
      ) {
        timers.clearAll();
        startTimers();
      }
    },
    open(response, headers, resumeAfter, remote) {
      // The peer is read now: a socket forgets its remote address once it closes.
      const peer = createPeer(response.socket ?? {}, 'sse');
      const stream: SseStream = { response, remote, peer, closed: false };
      response.socket?.setNoDelay(true);
      response.writeHead(200, headers);
      const log = context.durableEvents;
      if (log && resumeAfter !== undefined) {
        openFromLog(stream, resumeAfter, log);
        return;
      }
      const resumable = resumeAfter !== undefined && resumeAfter <= seq;
      const position = resumable ? resumeAfter : seq;
      const connect = createLifecycleEvent(context.selfId(), 'connect');
      if (passesFilterQuery(currentConfig().filter, connect)) {
        write(stream, encodeEventFrame(position, JSON.stringify(connect)));
        counters.eventsSent += 1;
      }
      if (resumable) {
        const { frames, lost } = replay.since(resumeAfter);
        if (lost > 0)
          logger.warn(
            { remote, lastEventId: resumeAfter, lost },
            `${lost} events after Last-Event-ID ${resumeAfter} are no longer in the replay buffer`,
          );
        for (const frame of frames) if (!stream.closed) write(stream, frame);
        counters.eventsSent += frames.length;
      } else if (resumeAfter !== undefined) {
        logger.info(
          { remote, lastEventId: resumeAfter, latest: seq },
          'Last-Event-ID is ahead of this server (restarted?); streaming from now',
        );
      }
      if (stream.closed) return;
      streams.add(stream);
      response.once('close', () => close(stream));
      if (currentConfig().debug)
        logger.info({ remote, resumeAfter, streams: streams.size }, 'sse stream opened');
    },
    streamCount: () => streams.size,
    peers: () => listPeers([...streams].map((stream) => stream.peer)),
  };
}
