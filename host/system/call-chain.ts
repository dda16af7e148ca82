/**
 * The chain of plugins a call passes through when plugins call each other through links
 * (docs/linking.md): which nodes are waiting on the current call, and the signal that ends
 * every hop when the original caller's deadline passes or it aborts.
 *
 * It travels with the host's asynchronous context (AsyncLocalStorage): a transport that
 * serves a plugin's import runs the implementation inside `runInChain`, and a transport that
 * receives a call reads `currentChain()` synchronously in `call()`. Nothing here does I/O.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallChain {
  /** The nodes on the stack, outermost first, as `name@incarnation`. */
  readonly nodes: readonly string[];
  /** Aborts when the call at the start of the chain (or any hop in it) is given up. */
  readonly signal?: AbortSignal;
  /** Shared by every hop of one chain. */
  readonly outcome: ChainOutcome;
  /**
   * The tracing span of the call this host code serves (host/observability), kept across
   * hops so that a linked call's span is a child of its caller's. Opaque here.
   */
  readonly span?: unknown;
}

export interface ChainOutcome {
  /** The plugin where a linked call first failed. */
  failedAt?: string;
  /**
   * The newest linked call still in flight: the nodes of the chain it was made in and the
   * plugin it calls, the hop the chain waits on, which a call given up by its deadline names.
   */
  waitingOn?: { readonly nodes: readonly string[]; readonly plugin: string };
}

const storage = new AsyncLocalStorage<CallChain>();

/** The chain the current host code runs in (undefined outside any linked call). */
export function currentChain(): CallChain | undefined {
  return storage.getStore();
}

/** Runs `fn` as one more hop of `chain`: inside node `node`, bounded by `signal`. */
export function runInChain<T>(chain: CallChain | undefined, node: string, signal: AbortSignal | undefined, fn: () => T): T {
  const signals = [chain?.signal, signal].filter((s): s is AbortSignal => s !== undefined);
  const combined = signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
  return storage.run({ nodes: [...(chain?.nodes ?? []), node], outcome: chain?.outcome ?? {}, ...(combined ? { signal: combined } : {}), ...(chain?.span !== undefined ? { span: chain.span } : {}) }, fn);
}

/**
 * Runs `fn` (a call made outside any chain, that can time out or be aborted) as the start
 * of a chain whose outcome the caller keeps: the links the call causes record in it where
 * they wait.
 */
export function runAsChainStart<T>(outcome: ChainOutcome, fn: () => T): T {
  return storage.run({ nodes: [], outcome }, fn);
}

/**
 * Records that the current chain waits on a linked call to `plugin`; the returned function
 * says it returned. A call given up (its signal aborted) leaves the record, so that the
 * chain's start, settling at the same moment, still finds where it waited.
 */
export function waitOn(plugin: string): ((abandoned: boolean) => void) | undefined {
  const chain = storage.getStore();
  if (!chain) return undefined;
  const { outcome } = chain;
  const before = outcome.waitingOn;
  const here = { nodes: chain.nodes, plugin };
  outcome.waitingOn = here;
  return (abandoned) => { if (!abandoned && outcome.waitingOn === here) outcome.waitingOn = before; };
}

/** Runs `fn` (a call being made) with `span` as the chain's span; the hops the call makes inherit it. */
export function runWithSpan<T>(span: unknown, fn: () => T): T {
  const chain = storage.getStore();
  return storage.run(chain ? { ...chain, span } : { nodes: [], outcome: {}, span }, fn);
}

/** `a@1 → b@1 → a@1`, for messages. */
export function printChain(nodes: readonly string[]): string {
  return nodes.join(' → ');
}
