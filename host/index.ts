// The public API of plugin-actors. What is not exported here is private.
export { ActorSystem, type ActorSystemOptions } from './actor-system.js';
export type { PluginSpec, WasmPluginSpec, ProcessPluginSpec, PluginLimits } from './plugin-spec.js';
export type { PluginNode, UntypedInterface } from './system/plugin-node.js';
export type { ActorSystemEvents, NodeStarted, NodeRestarted, NodeTermination, NodeFailed, TerminationCause } from './system/events.js';
export type { SystemEvent } from './system/event-stream.js';
export type { RestartOptions } from './system/restart-policy.js';
export type { PluginState } from './system/plugin-entry.js';
export { ActorId } from './system/actor-id.js';
export { actorIdOf, type CallArguments, type Remote, type ResourceActor, type SyncRemote } from './system/proxy.js';
export { callOptions, isCallOptions, type CallOptions, type MarkedCallOptions } from './system/call-options.js';
export type { Termination, TerminationListener } from './system/registry.js';
export { PluginHostError, isPluginHostError, ERROR_CODES, type ErrorCode } from '../common/errors.js';
export type { Logger } from './system/node-connection.js';
export type { WasiGrants } from './capabilities/wasi/grants.js';
export { generateSigningKeys, signPluginBytes, verifyPluginBytes, sha256Hex } from './integrity/index.js';
