// The imports a .wast component gets: a few host functions of our own with the behaviour the
// wasmtime suite expects of its test host (a function returning 2, an instance `host` with
// functions returning 3 and 4), and stubs for everything else so a component that imports
// things can still be validated and instantiated. A stub refuses to run when called.

/** @param rt the runtime modules (see `runtime.mjs`) */
/** Thrown for imports no host can supply (a component or core module): only validation applies. */
export class NotSuppliable extends Error {}

export function makeResolver(rt) {
  const stub = (name) => () => { throw new rt.PluginHostError('ERR_UNSUPPORTED', `conformance stub ${name} called`); };
  const known = {
    'host-return-two': () => 2,
    'host/return-three': () => 3,
    'host/nested/return-four': () => 4,
  };
  const bindInstance = (path, sigs) => {
    const exports = new Map();
    for (const [name, sig] of sigs) {
      const full = `${path}/${name}`;
      if (sig.sort === 'type') exports.set(name, { sort: 'type', type: sig.type });
      else if (sig.sort === 'func') exports.set(name, { sort: 'func', func: { name: full, sig: sig.sig, call: { kind: 'function', fn: known[full] ?? stub(full) } } });
      else if (sig.sort === 'instance') exports.set(name, { sort: 'instance', instance: bindInstance(full, sig.exports) });
      else throw new NotSuppliable(`a host cannot supply a ${sig.sort} (${full})`);
    }
    return { exports };
  };
  return (name, type, space) => {
    switch (type.sort) {
      case 'func': {
        const t = rt.typeAt(space, type.index);
        if (t.kind !== 'func') throw new rt.PluginHostError('ERR_COMPONENT_INVALID', `import ${name} is not a function type`);
        return { sort: 'func', func: { name, sig: t.sig, call: { kind: 'function', fn: known[name] ?? stub(name) } } };
      }
      case 'instance': {
        const t = rt.typeAt(space, type.index);
        if (t.kind !== 'instance') throw new rt.PluginHostError('ERR_COMPONENT_INVALID', `import ${name} is not an instance type`);
        return { sort: 'instance', instance: bindInstance(name, rt.evalInstanceType(t.decls, t.space, (r) => rt.newResource(r))) };
      }
      case 'type':
        if (type.bound.kind === 'sub-resource') return { sort: 'type', type: { kind: 'resource', resource: rt.newResource(name) } };
        return { sort: 'type', type: rt.typeAt(space, type.bound.index) };
      default:
        throw new NotSuppliable(`a host cannot supply a ${type.sort} (${name})`);
    }
  };
}
