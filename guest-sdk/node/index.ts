// plugin-actors/guest: write subprocess plugins in JavaScript or TypeScript.
export { serve, ResultError, type ServeOptions, type ServedPlugin, type CallContext, type GuestWorldTypes, type UntypedGuestWorld } from './serve.js';
export type { LogLevel } from '../../common/protocol/messages.js';
