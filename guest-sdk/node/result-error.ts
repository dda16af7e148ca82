/** Thrown by an implementation to return the `err` case of a WIT `result` (and thrown to the plugin for an import's `err`). */
export class ResultError extends Error {
  constructor(readonly payload: unknown) {
    super(typeof payload === 'string' ? payload : 'result error');
  }
}
