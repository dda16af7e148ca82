/**
 * The host side of interruptible guests (`fuel.ts` instruments them): the budget of the
 * calls running in this thread, and the `refuel` import that checks it.
 *
 * A call with a deadline or a signal runs inside a frame. Inline calls are synchronous, so
 * the frames form one stack per thread (a module-level variable is exact, as in
 * `canon/reentrance.ts`); a guest call made from a host import while another runs (a
 * callback chain) sees the enclosing frames too, and is stopped by their deadlines as well.
 *
 * `refuel` is called by guest code every `FUEL_GRANT` units of work or so. It grants more
 * while every open frame is within its deadline and its signal has not aborted. Otherwise
 * it marks the frame overrun and throws; from then on every `refuel` under that frame
 * throws, so a guest that catches the exception (`catch_all`) only reaches the next check
 * before it is thrown out again. The frame stays overrun until its call has unwound.
 */
import { abortError } from '../../common/abort-error.js';
import { PluginHostError } from '../../common/errors.js';
import { FUEL_GRANT } from './fuel-code.js';

/** The budget of a call: a deadline on `performance.now()`'s clock, and a signal. */
export interface CallBudget {
  readonly deadline?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface Frame {
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  readonly parent: Frame | undefined;
  overrun: PluginHostError | undefined;
}

let current: Frame | undefined;

/**
 * What `refuel` throws out of guest code: the call's error travels inside it. Thrown as a
 * JavaScript exception, so a guest may catch it, and be stopped again at its next check.
 */
export class Interruption extends Error {
  constructor(readonly error: PluginHostError) {
    super(error.message);
    this.name = 'Interruption';
  }
}

/**
 * Runs `call` under `budget`. Returns its result, or throws the call's ERR_TIMEOUT or
 * ERR_ABORTED when the budget ran out during it — also when the guest caught the
 * interruption and returned normally, or a host import turned it into another error.
 * `onOverrun` runs first, with that error (the node is then ended).
 */
export function withBudget<R>(budget: CallBudget, call: () => R, onOverrun: (error: PluginHostError) => void): R {
  const frame: Frame = { deadline: budget.deadline ?? Infinity, signal: budget.signal, parent: current, overrun: undefined };
  current = frame;
  let result: R;
  try {
    result = call();
  } catch (e) {
    current = frame.parent;
    if (frame.overrun) {
      onOverrun(frame.overrun);
      throw frame.overrun;
    }
    throw e;
  }
  current = frame.parent;
  if (frame.overrun) {
    onOverrun(frame.overrun);
    throw frame.overrun;
  }
  return result;
}

/**
 * The error of the innermost overrun frame, if a call running now has overrun its budget:
 * a failure then (a host import throwing the interruption of a plugin it called, say) is
 * part of the interruption, not a fault of its own.
 */
export function currentOverrun(): PluginHostError | undefined {
  for (let f = current; f; f = f.parent) if (f.overrun) return f.overrun;
  return undefined;
}

/**
 * A `refuel` import for one component instance. `onInterrupt` hears of every throw (with
 * the call's error), so the instance's owner knows it was interrupted even if the guest
 * swallowed the exception and returned.
 */
export function refuelFor(onInterrupt: (error: PluginHostError) => void): () => number {
  return () => {
    for (let f = current; f; f = f.parent) {
      if (!f.overrun) {
        if (f.signal?.aborted) f.overrun = abortError(f.signal);
        else if (f.deadline !== Infinity && performance.now() >= f.deadline) {
          f.overrun = new PluginHostError('ERR_TIMEOUT', 'the call timed out (its deadline passed while the guest ran; the guest was interrupted)');
        }
      }
      if (f.overrun) {
        onInterrupt(f.overrun);
        throw new Interruption(f.overrun);
      }
    }
    return FUEL_GRANT;
  };
}

/** `refuel` for instances nobody interrupts (a component instantiated without a budget owner). */
export const unlimitedRefuel = (): number => FUEL_GRANT;
