// A worker starts from the host's parse: the prepared form crosses a message port (the
// structured clone a worker's init goes through), carries no component bytes, and
// instantiates on the other side without being parsed or compiled again.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Definition } from '../../../../host/component/binary/ast.js';
import { compiledFromPrepared, prepareForWorker, type PreparedComponent } from '../../../../host/transports/worker/prepared-component.js';
import { compile, instantiate } from '../../../support/components.js';

const ADDER = `(component
  (core module $m (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  (core instance $i (instantiate $m))
  (component $inner
    (core module $n (func (export "twice") (param i32) (result i32) local.get 0 local.get 0 i32.add))
    (core instance $j (instantiate $n))
    (func (export "twice") (param "x" u32) (result u32) (canon lift (core func $j "twice"))))
  (instance $k (instantiate $inner))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (export "twice" (func $k "twice")))`;

function coreModules(defs: readonly Definition[]): Definition[] {
  return defs.flatMap((d) => (d.kind === 'core module' ? [d] : d.kind === 'component' ? coreModules(d.body) : []));
}

function throughPort(form: PreparedComponent): PreparedComponent {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(form);
  const received = receiveMessageOnPort(port2)!.message as PreparedComponent;
  port1.close();
  return received;
}

describe('the prepared form a worker starts from', () => {
  it('is made once per compiled component (a pool shares it)', async () => {
    const compiled = await compile(ADDER);
    expect(prepareForWorker(compiled)).toBe(prepareForWorker(compiled));
  });

  it('crosses a port with its compiled modules bound to its definitions, and no bytes of the component', async () => {
    const compiled = await compile(ADDER);
    const received = throughPort(prepareForWorker(compiled));
    const modules = coreModules(received.definitions);
    expect(modules).toHaveLength(2);
    for (const d of modules) {
      expect((d as Extract<Definition, { kind: 'core module' }>).bytes.byteLength).toBe(0);
      expect(received.modules.get(d)).toBeInstanceOf(WebAssembly.Module);
    }
    // The host's compiled component is untouched.
    for (const d of coreModules(compiled.definitions)) expect((d as Extract<Definition, { kind: 'core module' }>).bytes.byteLength).toBeGreaterThan(0);
  });

  it('instantiates on the other side, nested components included', async () => {
    const received = throughPort(prepareForWorker(await compile(ADDER)));
    const { call } = await instantiate(compiledFromPrepared(received, {}));
    expect(call('add', 2, 3)).toBe(5);
    expect(call('twice', 21)).toBe(42);
  });
});
