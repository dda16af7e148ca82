/**
 * The host side of `plugin-actors:host/log`: records go to the host's logger under the
 * plugin's name. Shared by every transport.
 */
import type { Logger } from '../system/node-connection.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export const LOG_INTERFACE = 'plugin-actors:host/log';

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
      writePluginLog(logger, plugin, level, message);
    },
  };
}
