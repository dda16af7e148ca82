/** Host side of the raw worker-load baseline: start a worker that compiles and instantiates the core modules; resolve when it is ready. */
import { Worker } from 'node:worker_threads';

export async function startRawWorker(script: string, coreModules: readonly Uint8Array[]): Promise<Worker> {
  const worker = new Worker(script, { workerData: coreModules });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}
