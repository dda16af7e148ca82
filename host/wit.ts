// plugin-actors/wit: the WIT front end (parse, resolve, select) and its model types.
export { loadWit, parseWitSource, parseWitSources, selectWorld, selectInterface } from '../common/wit/load.js';
export { printPackages } from '../common/wit/print.js';
export type * from '../common/wit/model.js';
