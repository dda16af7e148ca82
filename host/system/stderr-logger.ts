/** The default logger: one line per record on stderr, prefixed with the plugin's name; debug is dropped. */
import type { Logger } from './node-connection.js';

export const stderrLogger: Logger = {
  debug: () => {},
  info: (m, f) => process.stderr.write(`${prefix(f)}${m}\n`),
  warn: (m, f) => process.stderr.write(`${prefix(f)}warn: ${m}\n`),
  error: (m, f) => process.stderr.write(`${prefix(f)}error: ${m}\n`),
};

function prefix(fields?: Record<string, unknown>): string {
  return typeof fields?.plugin === 'string' ? `[${fields.plugin}] ` : '';
}
