// plugin-actors/guest: write subprocess plugins in JavaScript or TypeScript.
export { serve, ResultError, type ServeOptions, type ServedPlugin, type CallContext } from './serve.js';
export type { LogLevel } from '../../common/protocol/messages.js';
