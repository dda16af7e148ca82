/**
 * The host side of `plugin-actors:host/log`: records go to the host's logger under the
 * plugin's name. Shared by every transport.
 */
import type { Logger } from '../system/node-connection.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export const LOG_INTERFACE = 'plugin-actors:host/log';

/**
 * The most characters one log record from a wasm plugin carries (a line of its stdout or
 * stderr, or one `log` call); the rest is dropped and the record says so. The subprocess
 * path cuts its lines at the same length.
 */
export const MAX_LOG_RECORD_CHARS = 64 * 1024;

/** What a cut record ends with. */
export function cutMarker(droppedChars: number): string {
  return ` …[cut at ${MAX_LOG_RECORD_CHARS} characters; ${droppedChars} more dropped]`;
}

/** `message`, cut to `MAX_LOG_RECORD_CHARS` with a marker when longer. */
export function capLogRecord(message: string): string {
  return message.length <= MAX_LOG_RECORD_CHARS ? message : `${message.slice(0, MAX_LOG_RECORD_CHARS)}${cutMarker(message.length - MAX_LOG_RECORD_CHARS)}`;
}

/** Writes one plugin log record; `trace` goes to `debug`. */
export function writePluginLog(logger: Logger, plugin: string, level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const record = { plugin, ...fields };
  switch (level) {
    case 'trace':
    case 'debug': logger.debug(message, record); break;
    case 'info': logger.info(message, record); break;
    case 'warn': logger.warn(message, record); break;
    default: logger.error(message, record);
  }
}

/** The import object for wasm guests (jco naming: `log` function of the `log` interface). */
export function logImport(logger: Logger, plugin: string): { log(level: LogLevel, message: string): void } {
  return {
    log(level, message) {
      writePluginLog(logger, plugin, level, capLogRecord(message));
    },
  };
}
