// The raw baseline for worker load: a worker thread that compiles the component's core
// modules from their bytes, instantiates them with stubs, and says it is ready.
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateCoreModules } from './core-instances.js';

const modules = await Promise.all((workerData as Uint8Array<ArrayBuffer>[]).map((bytes) => WebAssembly.compile(bytes)));
instantiateCoreModules(modules);
parentPort!.postMessage('ready');
