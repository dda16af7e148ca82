// The imports a .wast component gets: a few host functions of our own with the behaviour the
// wasmtime suite expects of its test host (functions returning 2, 3 and 4, and a host
// resource `resource1` whose drops are counted), and stubs for everything else so a
// component that imports things can still be validated and instantiated. A stub refuses to
// run when called.

/** Thrown for imports no host can supply (a component or core module): only validation applies. */
export class NotSuppliable extends Error {}

/** wasmtime's test resource: a host object holding a number, counting its drops. */
function resourceHost(rt) {
  const state = { drops: 0, lastDrop: 0 };
  class Resource1 {
    constructor(rep) { this.rep = rep; }
    [Symbol.dispose]() { state.drops++; state.lastDrop = this.rep; }
  }
  const fail = (what) => { throw new rt.PluginHostError('ERR_BAD_ARGUMENT', `conformance host: ${what}`); };
  const functions = {
    '[constructor]resource1': (rep) => new Resource1(rep),
    '[static]resource1.assert': (r, rep) => { if (!(r instanceof Resource1) || r.rep !== rep) fail(`expected resource1 ${rep}`); },
    '[static]resource1.last-drop': () => state.lastDrop,
    '[static]resource1.drops': () => state.drops,
    '[method]resource1.simple': (self, rep) => { if (self.rep !== rep) fail(`expected resource1 ${rep}`); },
    '[method]resource1.take-borrow': () => {},
    '[method]resource1.take-own': () => {},
  };
  return { Resource1, functions };
}

export function makeResolver(rt) {
  const stub = (name) => () => { throw new rt.PluginHostError('ERR_UNSUPPORTED', `conformance stub ${name} called`); };
  const resources = resourceHost(rt);
  const known = {
    'host-return-two': () => 2,
    'host/return-three': () => 3,
    'host/nested/return-four': () => 4,
    ...Object.fromEntries(Object.entries(resources.functions).map(([k, f]) => [`host/${k}`, f])),
  };
  // `resource1-again` is the same host type as `resource1` in wasmtime's host.
  const hostResources = new Map();
  const makeResource = (name) => {
    const key = name === 'resource1-again' ? 'resource1' : name;
    if (!hostResources.has(key)) hostResources.set(key, rt.newResource(key, key === 'resource1' ? { hostClass: resources.Resource1 } : {}));
    return hostResources.get(key);
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
        const make = name === 'host' ? makeResource : (r) => rt.newResource(r);
        return { sort: 'instance', instance: bindInstance(name, rt.evalInstanceType(t.decls, t.space, make)) };
      }
      case 'type':
        if (type.bound.kind === 'sub-resource') return { sort: 'type', type: { kind: 'resource', resource: rt.newResource(name) } };
        return { sort: 'type', type: rt.typeAt(space, type.bound.index) };
      default:
        throw new NotSuppliable(`a host cannot supply a ${type.sort} (${name})`);
    }
  };
}
