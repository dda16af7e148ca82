/**
 * The supervisor of one actor system: decides, when an incarnation of a plugin ends,
 * whether the plugin starts again (its restart policy, its restart intensity), waits the
 * backoff, starts the next incarnation, and gives up when the intensity is exceeded. The
 * decisions are OTP's (see `restart-policy.ts`); the incarnations are the core's.
 */
import { PluginHostError } from '../../common/errors.js';
import type { NodeTermination } from './events.js';
import type { PluginEntry } from './plugin-entry.js';
import { backoffMs, wantsRestart } from './restart-policy.js';

export interface SupervisedSystem {
  /** Starts a new incarnation of the plugin and makes it current. */
  startIncarnation(entry: PluginEntry): Promise<void>;
  /** The plugin is down for good. */
  end(entry: PluginEntry, termination: NodeTermination, failed?: PluginHostError): void;
  /** The plugin restarted. */
  restarted(entry: PluginEntry, previous: NodeTermination): void;
  readonly closed: boolean;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  /** For tests: the clock and the randomness of the backoff. */
  readonly now?: () => number;
  readonly random?: () => number;
}

export class Supervisor {
  constructor(private readonly system: SupervisedSystem) {}

  /** An incarnation of `entry` ended with `termination`. */
  incarnationEnded(entry: PluginEntry, termination: NodeTermination): void {
    const stoppedByHost = entry.state === 'stopping' || this.system.closed;
    if (!wantsRestart(entry.restart, termination.reason, stoppedByHost)) {
      this.system.end(entry, termination);
      return;
    }
    this.#scheduleRestart(entry, termination);
  }

  #scheduleRestart(entry: PluginEntry, termination: NodeTermination): void {
    const now = (this.system.now ?? Date.now)();
    const recent = entry.intensity.recent(now);
    if (!entry.intensity.allow(now)) {
      const reason = new PluginHostError('ERR_RESTART_INTENSITY',
        `plugin ${entry.name} needed more than ${entry.restart.intensity} restarts within ${entry.restart.periodMs} ms; it stays down`,
        { plugin: entry.name, ...(termination.reason ? { cause: termination.reason } : {}) });
      this.system.end(entry, termination, reason);
      return;
    }
    entry.state = 'restarting';
    const delay = backoffMs(entry.restart, recent, (this.system.random ?? Math.random)());
    this.system.log(`plugin ${entry.name} restarts in ${delay} ms`, { plugin: entry.name, incarnation: termination.incarnation + 1 });
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (entry.state !== 'restarting') return;
      this.system.startIncarnation(entry).then(
        () => this.system.restarted(entry, termination),
        (error: unknown) => {
          // A restart that fails to start counts as one more failure of the plugin.
          const reason = error instanceof PluginHostError ? error : new PluginHostError('ERR_LOAD_FAILED', String(error), { plugin: entry.name, cause: error });
          this.system.log(`plugin ${entry.name} failed to restart: ${reason.message}`, { plugin: entry.name, code: reason.code });
          if (entry.state !== 'restarting') return;
          this.#scheduleRestart(entry, { node: entry.name, incarnation: termination.incarnation + 1, cause: 'failed', reason });
        },
      );
    }, delay);
  }

  /** Stops any restart under way (the host stops the plugin). */
  cancel(entry: PluginEntry): void {
    if (entry.restartTimer) clearTimeout(entry.restartTimer);
    entry.restartTimer = undefined;
  }
}
