import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '@onebot-gateway/core';

export interface ConfigWatcher {
  close(): void;
}

/**
 * Calls `onChange` (debounced) when the file may have changed. Watches the
 * folder, not the file: editors that save by writing a temp file and renaming
 * it over the original replace the inode a file watch would be stuck on.
 */
export function watchConfigFile(
  path: string,
  onChange: () => void,
  logger: Logger,
  debounceMs = 200,
): ConfigWatcher {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    // Persistent: a gateway with every adapter switched off still waits for the file to turn one on.
    watcher = watch(dirname(path), { persistent: true }, (_event, fileName) => {
      // Some platforms give no file name: treat that as "maybe ours".
      if (fileName !== null && fileName.toString() !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, debounceMs);
    });
    watcher.on('error', (error) =>
      logger.warn({ err: error }, `stopped watching ${path}: ${error.message}; restart to pick up changes`),
    );
  } catch (error) {
    logger.warn({ err: error }, `cannot watch ${path} (${(error as Error).message}); hot reload is off`);
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      watcher?.close();
    },
  };
}
