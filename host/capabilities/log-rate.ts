/**
 * A log rate limit per plugin node (`limits.logRecordsPerSecond`): a plugin that floods its
 * logs cannot flood the application's. Records are counted in fixed one-second windows;
 * past the limit a window's records are dropped and counted, and the first window of a
 * burst (a run of windows that each dropped records) logs ONE warning, so the warning
 * cannot become the flood itself.
 */
import type { Logger } from '../system/node-connection.js';

export interface LogRateOptions {
  readonly plugin: string;
  readonly recordsPerSecond: number;
  /** The clock, in milliseconds (tests drive it); `Date.now` by default. */
  readonly now?: () => number;
}

/** A logger that passes at most `recordsPerSecond` records a second to `logger`. */
export function rateLimitedLogger(logger: Logger, options: LogRateOptions): Logger & { readonly dropped: number } {
  const { plugin, recordsPerSecond } = options;
  const now = options.now ?? Date.now;
  let window = -1;
  let passed = 0;
  let droppedInWindow = 0;
  let previousDropped = false;
  let dropped = 0;
  const admit = (): boolean => {
    const w = Math.floor(now() / 1000);
    if (w !== window) {
      // A window directly after one that dropped records continues the burst.
      previousDropped = droppedInWindow > 0 && w === window + 1;
      window = w;
      passed = 0;
      droppedInWindow = 0;
    }
    if (passed < recordsPerSecond) { passed++; return true; }
    dropped++;
    if (droppedInWindow++ === 0 && !previousDropped) {
      logger.warn(`plugin ${plugin} logs more than ${recordsPerSecond} records a second (limits.logRecordsPerSecond): the excess is dropped, ${dropped} so far; this is the only warning until it slows down`, { plugin, droppedLogRecords: dropped });
    }
    return false;
  };
  const at = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    if (admit()) logger[level](message, fields);
  };
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    get dropped() { return dropped; },
  };
}
