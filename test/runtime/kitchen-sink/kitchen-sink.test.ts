// Every WIT type through the kitchen-sink components, inline and in a worker (the suite is in kitchen-sink-suite.ts).
import { inject } from 'vitest';
import { root } from '../../helpers.js';
import { kitchenSinkSuite } from './kitchen-sink-suite.js';

for (const isolation of ['inline', 'worker'] as const) {
  kitchenSinkSuite('AssemblyScript', root('test/runtime/kitchen-sink/assemblyscript/build/kitchen-sink.wasm'), isolation);
  kitchenSinkSuite('Rust', inject('rustComponents')['test/runtime/kitchen-sink/rust']!, isolation);
}
