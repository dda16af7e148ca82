/** The error of an operation cancelled through an AbortSignal, shared by the core and the peer. */
import { PluginHostError, type ErrorContext } from './errors.js';

/** ERR_TIMEOUT when the signal's reason is a timeout (`AbortSignal.timeout`), else ERR_ABORTED. */
export function abortError(signal: AbortSignal, context: ErrorContext = {}): PluginHostError {
  const reason: unknown = signal.reason;
  const timeout = reason instanceof DOMException && reason.name === 'TimeoutError';
  return new PluginHostError(timeout ? 'ERR_TIMEOUT' : 'ERR_ABORTED', timeout ? 'the call timed out' : 'the call was aborted', { ...context, cause: reason });
}
