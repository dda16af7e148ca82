/** Host side of the raw SharedArrayBuffer + Atomics round trip. */
import { Worker } from 'node:worker_threads';

export interface SabEcho {
  roundTrip(payload: Uint8Array): Promise<void>;
  close(): Promise<number>;
}

export function startSabEcho(script: string): SabEcho {
  const buffer = new SharedArrayBuffer(16 + (1 << 16));
  const control = new Int32Array(buffer, 0, 4);
  const data = new Uint8Array(buffer, 16);
  const worker = new Worker(script, { workerData: buffer });
  return {
    async roundTrip(payload) {
      data.set(payload);
      Atomics.store(control, 1, payload.length);
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
      const r = Atomics.waitAsync(control, 0, 1);
      if (r.async) await r.value;
      data.slice(payload.length, payload.length * 2);
      Atomics.store(control, 0, 0);
      Atomics.notify(control, 0);
    },
    close: () => worker.terminate(),
  };
}
