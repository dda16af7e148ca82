/**
 * Loggers come in two shapes: console's `(message, fields)` and pino's `(fields, message)`
 * (bunyan's too). Both type-check as a `Logger` — pino also accepts a bare message — but
 * pino takes only its first argument as the message when it is a string, so called the
 * console way it would drop the fields (the plugin's name among them). A pino-shaped
 * logger, recognised by its `bindings()` and `child()`, is called fields first.
 */
import type { Logger } from './node-connection.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** A logger taking the fields first (pino, bunyan). */
export interface FieldsFirstLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export function isFieldsFirst(logger: object): boolean {
  const l = logger as { bindings?: unknown; child?: unknown };
  return typeof l.bindings === 'function' && typeof l.child === 'function';
}

/** The `Logger` the system calls, whichever shape it was given. */
export function adaptLogger(logger: Logger | FieldsFirstLogger): Logger {
  if (!isFieldsFirst(logger)) return logger as Logger;
  const target = logger as FieldsFirstLogger;
  const level = (name: Level) => (message: string, fields?: Record<string, unknown>) => target[name](fields ?? {}, message);
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
