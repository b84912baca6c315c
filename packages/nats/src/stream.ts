import {
  jetstreamManager,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { streamSubjects } from './subjects.js';

/** A retried publish within this window is recognised by its Nats-Msg-Id and stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export interface EventStreamSettings {
  stream: string;
  subjectPrefix: string;
  /** ms; 0 = no age limit */
  maxAge: number;
  maxBytes: number;
  replicas: number;
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/**
 * Create the event stream, or bring an existing one to these limits. Limits
 * retention on a file store, oldest discarded first: the stream is a log
 * that many edges read at their own pace, not a work queue. Several origins
 * (one per account) share one stream; each adds nothing but its events.
 */
export async function ensureEventStream(
  connection: NatsConnection,
  settings: EventStreamSettings,
): Promise<void> {
  const manager = await jetstreamManager(connection);
  const limits = {
    max_age: nanos(settings.maxAge),
    max_bytes: settings.maxBytes,
    num_replicas: settings.replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  const subjects = streamSubjects(settings.subjectPrefix);
  try {
    const info = await manager.streams.info(settings.stream);
    const known = new Set(info.config.subjects ?? []);
    const changed =
      subjects.some((subject) => !known.has(subject)) ||
      info.config.max_age !== limits.max_age ||
      info.config.max_bytes !== limits.max_bytes ||
      info.config.num_replicas !== limits.num_replicas;
    if (changed) {
      await manager.streams.update(settings.stream, {
        ...limits,
        subjects: [...new Set([...known, ...subjects])],
      });
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    await manager.streams.add({
      name: settings.stream,
      subjects,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      ...limits,
    });
  }
}
