// The raw baseline for the worker figures: a worker that answers each request written into a
// SharedArrayBuffer by copying it back, woken and waiting with Atomics (no codec, no runtime).
import { workerData } from 'node:worker_threads';

const control = new Int32Array(workerData as SharedArrayBuffer, 0, 4);
const data = new Uint8Array(workerData as SharedArrayBuffer, 16);
for (;;) {
  Atomics.wait(control, 0, 0);
  if (Atomics.load(control, 0) !== 1) continue;
  const n = Atomics.load(control, 1);
  data.copyWithin(n, 0, n);
  Atomics.store(control, 1, n);
  Atomics.store(control, 0, 2);
  Atomics.notify(control, 0);
  Atomics.wait(control, 0, 2);
}
