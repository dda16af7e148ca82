/**
 * Remote nodes over NATS: calls through the actor API to a runner in this process (hosting
 * the bench component inline), against raw NATS exchanges of the same sizes (the CALL's
 * bytes out, the RETURN's bytes back) through the same local nats-server: the client's
 * request/reply (a reply inbox and a timer per request), and a bare publish/subscribe echo
 * on two fixed subjects, which is how a session moves its frames.
 */
import { connect } from '@nats-io/transport-node';
import { ActorSystem, startRunner } from '../../host/index.js';
import { comparePerCall, figure, scaled, type Figure } from '../measure.js';
import { benchWasm, benchWit, quietLogger } from '../paths.js';
import { startNatsServer } from '../raw/nats-server.js';

// greet("world"): the CALL message (session header, kind, id, function, string) and its RETURN ("Hello, world!").
const CALL_BYTES = 14;
const RETURN_BYTES = 22;

export async function remoteFigures(): Promise<Figure[]> {
  const nats = await startNatsServer();
  if (!nats) {
    process.stderr.write('remote figures skipped: nats-server is not installed\n');
    return [];
  }
  const responder = await connect({ servers: nats.url });
  const requester = await connect({ servers: nats.url });
  const reply = new Uint8Array(RETURN_BYTES);
  responder.subscribe('bench.raw', { callback: (_e, m) => { m.respond(reply); } });
  await responder.flush();
  const request = new Uint8Array(CALL_BYTES);
  const raw = () => requester.request('bench.raw', request, { timeout: 10_000 });
  // The bare echo: answers come back in order on one subject, so a FIFO of waiters matches them.
  responder.subscribe('bench.ping', { callback: () => { responder.publish('bench.pong', reply); } });
  const waiters: (() => void)[] = [];
  requester.subscribe('bench.pong', { callback: () => { waiters.shift()?.(); } });
  await Promise.all([responder.flush(), requester.flush()]);
  const echo = () => new Promise<void>((resolve) => { waiters.push(resolve); requester.publish('bench.ping', request); });
  const runner = await startRunner({ nats: nats.url, plugins: [{ spec: { name: 'bench', wasm: benchWasm }, wit: benchWit }], system: { logger: quietLogger } });
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const api = (await system.load({ name: 'bench-remote', remote: { nats: nats.url, node: 'bench' } })).exports<{ greet(n: string): Promise<string> }>();
    const sequential = 2_000;
    const inFlight = 64;
    const batches = 50;
    return [
      figure('remote over NATS: greet("world"), 1 in flight', 'µs/call', us(await comparePerCall({ n: sequential },
        async () => { for (let i = 0; i < sequential; i++) await raw(); },
        async () => { for (let i = 0; i < sequential; i++) await api.greet('world'); })), 'vs raw NATS request/reply'),
      figure('remote over NATS: greet("world"), 64 in flight', 'µs/call', us(await comparePerCall({ n: inFlight * batches },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, raw)); },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => api.greet('world'))); })), 'vs raw NATS request/reply'),
      figure('remote over NATS: greet("world"), 1 in flight, vs a bare publish/subscribe echo', 'µs/call', us(await comparePerCall({ n: sequential },
        async () => { for (let i = 0; i < sequential; i++) await echo(); },
        async () => { for (let i = 0; i < sequential; i++) await api.greet('world'); })), 'the protocol\'s own cost'),
      figure('remote over NATS: greet("world"), 64 in flight, vs a bare publish/subscribe echo', 'µs/call', us(await comparePerCall({ n: inFlight * batches },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, echo)); },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => api.greet('world'))); })), 'the protocol\'s own cost'),
    ];
  } finally {
    await system.close();
    await runner.close();
    await requester.close();
    await responder.close();
    nats.stop();
  }
}

function us(m: Parameters<typeof scaled>[0]): ReturnType<typeof scaled> {
  return scaled(m, 1 / 1000);
}
