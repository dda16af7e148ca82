// Every WIT type through a remote node: the kitchen-sink suite, its component hosted by a
// runner behind a real nats-server, the host reaching it with `remote`. Relay calls run the
// runner's own host imports; resource actors (made, borrowed, moved, dropped) live there.
import { describe, inject } from 'vitest';
import { startRunner, type Runner } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { kitchenSinkHost } from '../../runtime/kitchen-sink/host-impl.js';
import { kitchenSinkSuite, type KitchenSinkLoader } from '../../runtime/kitchen-sink/kitchen-sink-suite.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';

function remoteLoader(wasm: string): KitchenSinkLoader {
  let nats: NatsServer | undefined;
  let runner: Runner | undefined;
  return {
    label: 'remote, over NATS',
    runs: 60,
    async load(system) {
      nats = await startNatsServer();
      runner = await startRunner({
        nats: nats.url, system: { logger: recordingLogger() },
        plugins: [{ spec: { name: 'kitchen-sink', wasm, imports: await kitchenSinkHost() }, wit: root('test/runtime/kitchen-sink/wit') }],
      });
      return system.load({ name: 'remote-sink', remote: { nats: nats.url, node: 'kitchen-sink', wit: root('test/runtime/kitchen-sink/wit') } });
    },
    async close() {
      await runner?.close();
      await nats?.stop();
    },
  };
}

describe.skipIf(!natsServerPath)('remote kitchen sink', () => {
  kitchenSinkSuite('AssemblyScript', root('test/runtime/kitchen-sink/assemblyscript/build/kitchen-sink.wasm'), 'inline', remoteLoader(root('test/runtime/kitchen-sink/assemblyscript/build/kitchen-sink.wasm')));
  kitchenSinkSuite('Rust', inject('rustComponents')['test/runtime/kitchen-sink/rust']!, 'inline', remoteLoader(inject('rustComponents')['test/runtime/kitchen-sink/rust']!));
});
