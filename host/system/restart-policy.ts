/**
 * Restart policies, after Erlang/OTP supervisors:
 *
 * - `temporary` (the default): a plugin that ends stays down.
 * - `transient`: restarted when it ends abnormally (a crash, a trap, an exit, a broken
 *   protocol…), not when the host stopped it.
 * - `permanent`: restarted whenever it ends, unless the host stopped it.
 *
 * **Restart intensity** bounds a crash loop: if a plugin needs more than `intensity`
 * restarts within any `periodMs`, the supervisor gives up, the plugin is marked failed and
 * a `failed` event says why (OTP's `MaxR` in `MaxT`). Between restarts the supervisor waits
 * a **backoff** that grows by `factor` with each restart still inside the window, from
 * `initialMs` up to `maxMs`, spread by `jitter` (a fraction: 0.2 is ±20 %) so that many
 * plugins failing together do not restart in lockstep.
 */
import { PluginHostError } from '../../common/errors.js';

export interface RestartOptions {
  /** @default 'temporary' */
  readonly policy?: 'permanent' | 'transient' | 'temporary';
  /** Most restarts within `periodMs` before giving up. @default 3 */
  readonly intensity?: number;
  /** @default 5 000 */
  readonly periodMs?: number;
  readonly backoff?: {
    /** @default 100 */
    readonly initialMs?: number;
    /** @default 5 000 */
    readonly maxMs?: number;
    /** @default 2 */
    readonly factor?: number;
    /** @default 0.2 */
    readonly jitter?: number;
  };
  /**
   * Calls to the plugin's root actor made while it restarts wait for the new incarnation
   * (bounded by their own deadline) instead of failing with ERR_RESTARTING.
   * @default false
   */
  readonly waitForRestart?: boolean;
}

export interface RestartPolicy {
  readonly policy: 'permanent' | 'transient' | 'temporary';
  readonly intensity: number;
  readonly periodMs: number;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly waitForRestart: boolean;
}

export const NO_RESTARTS: RestartPolicy = {
  policy: 'temporary', intensity: 3, periodMs: 5_000, initialMs: 100, maxMs: 5_000, factor: 2, jitter: 0.2, waitForRestart: false,
};

/** Checks and completes `restart` options (pure). @throws ERR_INVALID_OPTION naming the key */
export function validateRestart(value: unknown): RestartPolicy {
  if (value === undefined) return NO_RESTARTS;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('restart must be an object');
  const o = value as Record<string, unknown>;
  only(o, ['policy', 'intensity', 'periodMs', 'backoff', 'waitForRestart'], 'restart');
  const policy = o.policy ?? 'temporary';
  if (policy !== 'permanent' && policy !== 'transient' && policy !== 'temporary') {
    throw invalid(`restart.policy must be 'permanent', 'transient' or 'temporary', got ${JSON.stringify(policy)}`);
  }
  const b = o.backoff ?? {};
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw invalid('restart.backoff must be an object');
  const backoff = b as Record<string, unknown>;
  only(backoff, ['initialMs', 'maxMs', 'factor', 'jitter'], 'restart.backoff');
  const number = (where: Record<string, unknown>, key: string, name: string, fallback: number, min: number, max = Infinity) => {
    const v = where[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw invalid(`${name} must be a number from ${min}${max === Infinity ? ' up' : ` to ${max}`}, got ${String(v)}`);
    return v;
  };
  const intensity = number(o, 'intensity', 'restart.intensity', NO_RESTARTS.intensity, 0);
  if (!Number.isInteger(intensity)) throw invalid(`restart.intensity must be a whole number, got ${intensity}`);
  if (o.waitForRestart !== undefined && typeof o.waitForRestart !== 'boolean') throw invalid('restart.waitForRestart must be a boolean');
  const initialMs = number(backoff, 'initialMs', 'restart.backoff.initialMs', NO_RESTARTS.initialMs, 0);
  const maxMs = number(backoff, 'maxMs', 'restart.backoff.maxMs', Math.max(NO_RESTARTS.maxMs, initialMs), initialMs);
  return {
    policy,
    intensity,
    periodMs: number(o, 'periodMs', 'restart.periodMs', NO_RESTARTS.periodMs, 1),
    initialMs,
    maxMs,
    factor: number(backoff, 'factor', 'restart.backoff.factor', NO_RESTARTS.factor, 1),
    jitter: number(backoff, 'jitter', 'restart.backoff.jitter', NO_RESTARTS.jitter, 0, 1),
    waitForRestart: (o.waitForRestart as boolean | undefined) ?? false,
  };
}

/** Whether a plugin that ended with `reason` (undefined: the host stopped it) is restarted. */
export function wantsRestart(policy: RestartPolicy, reason: PluginHostError | undefined, stoppedByHost: boolean): boolean {
  if (stoppedByHost || policy.policy === 'temporary') return false;
  return policy.policy === 'permanent' || reason !== undefined;
}

/**
 * The sliding window of OTP's restart intensity: restart times within the last `periodMs`.
 * `allow(now)` records a restart and says whether it stays within the intensity.
 */
export class RestartIntensity {
  readonly #times: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Restarts recorded in the window ending at `now`. */
  recent(now: number): number {
    while (this.#times.length > 0 && this.#times[0]! <= now - this.policy.periodMs) this.#times.shift();
    return this.#times.length;
  }

  allow(now: number): boolean {
    if (this.recent(now) >= this.policy.intensity) return false;
    this.#times.push(now);
    return true;
  }
}

/** How long to wait before the restart that follows `recent` others in the window; `random` in [0, 1). */
export function backoffMs(policy: RestartPolicy, recent: number, random: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** recent);
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random - 1))));
}

function only(o: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw invalid(`${JSON.stringify(k)} is not an option of ${where} (options: ${keys.join(', ')})`);
}

function invalid(message: string): PluginHostError {
  return new PluginHostError('ERR_INVALID_OPTION', message);
}
