// The public API of plugin-actors. What is not exported here is private.
export { ActorSystem, type ActorSystemOptions, type PluginSpec, type WasmPluginSpec, type ProcessPluginSpec } from './actor-system.js';
export { PluginNode, type NodeTermination } from './system/actor-system.js';
export { ActorId } from './system/actor-id.js';
export { actorIdOf, type CallOptions, type Remote, type ResourceActor, type SyncRemote } from './system/proxy.js';
export type { Termination, TerminationListener } from './system/registry.js';
export { PluginHostError, isPluginHostError, ERROR_CODES, type ErrorCode } from '../common/errors.js';
export type { Logger } from './system/node-connection.js';
export type { WasiGrants } from './capabilities/wasi/grants.js';
export { loadWit, parseWitSource, parseWitSources, selectWorld, selectInterface } from '../common/wit/load.js';
export type * from '../common/wit/model.js';
