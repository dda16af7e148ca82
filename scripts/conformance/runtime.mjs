// The built host (dist/) as the conformance runner uses it: load = compile (parse, validate,
// compile core modules) + instantiate, exactly what the component transport does.
const dist = new URL('../../dist/', import.meta.url);
const at = (path) => import(new URL(path, dist).href);

const [instantiate, types, errors, load] = await Promise.all([
  at('host/component/instantiate.js'), at('host/component/runtime/types.js'), at('common/errors.js'), at('common/wit/load.js'),
]);

export const rt = {
  compileComponent: instantiate.compileComponent,
  instantiateComponent: instantiate.instantiateComponent,
  typeAt: types.typeAt,
  evalInstanceType: types.evalInstanceType,
  newResource: types.newResource,
  PluginHostError: errors.PluginHostError,
  isPluginHostError: errors.isPluginHostError,
  loadWit: load.loadWit,
};
