/** One log line as the log wrote it (JSON, already redacted by the logger), newline stripped. */
export type LogLineListener = (line: string) => void;

export interface LogTap {
  /** Called by the log destination for every line it writes. */
  write(line: string): void;
  /** The kept lines, oldest first. */
  recent(): string[];
  /** Live lines from now on; returns the unsubscribe. */
  listen(listener: LogLineListener): () => void;
  listenerCount(): number;
}

export interface LogTapLimits {
  /** Lines kept for a late listener. Default 500. */
  maxLines?: number;
  /** Characters kept in all (a few huge lines must not pin megabytes). Default 256 KiB. */
  maxChars?: number;
}

export const DEFAULT_LOG_TAP_LINES = 500;
export const DEFAULT_LOG_TAP_CHARS = 256 * 1024;

/**
 * The gateway's log lines for the admin API's `/api/logs`: a ring of the
 * last lines (bounded in count and size) plus live listeners. With nobody
 * listening a line costs one array slot and a length sum: no parsing, no
 * copy, the string is the one the logger already made.
 */
export function createLogTap(limits: LogTapLimits = {}): LogTap {
  const maxLines = Math.max(0, limits.maxLines ?? DEFAULT_LOG_TAP_LINES);
  const maxChars = Math.max(0, limits.maxChars ?? DEFAULT_LOG_TAP_CHARS);
  const ring: string[] = [];
  let chars = 0;
  const listeners = new Set<LogLineListener>();

  return {
    write(raw) {
      const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
      // A single line over the size bound is not kept (it would evict everything), only streamed.
      if (line.length <= maxChars && maxLines > 0) {
        ring.push(line);
        chars += line.length;
        while (ring.length > maxLines || chars > maxChars) chars -= ring.shift()!.length;
      }
      if (listeners.size === 0) return;
      for (const listener of listeners) {
        try {
          listener(line);
        } catch {
          // A listener is an admin stream; it must never break the log itself.
        }
      }
    },
    recent: () => [...ring],
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
