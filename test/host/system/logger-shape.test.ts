// The logger option takes console's shape (message, fields) and pino's (fields, message).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ActorSystem, type Remote } from '../../../host/index.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

interface Api { greet(name: string): string }

function pinoRecords(): { logger: ReturnType<typeof pino>; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), records };
}

async function greetThrough(logger: ConstructorParameters<typeof ActorSystem>[0]): Promise<void> {
  const system = new ActorSystem(logger);
  try {
    for (const [name, spec] of [['wasm', greeterSpecs.wasm], ['node', greeterSpecs.process]] as const) {
      const node = await system.load({ name, ...spec });
      const api: Remote<Api> = node.exports<Api>('example:greeter/api');
      await api.greet(name);
    }
  } finally {
    await system.close();
  }
}

describe('logger shapes', () => {
  it('calls a pino logger with the fields first, so the plugin field is kept', async () => {
    const { logger, records } = pinoRecords();
    await greetThrough({ logger });
    await new Promise((r) => setImmediate(r));
    expect(records).toEqual(expect.arrayContaining([
      expect.objectContaining({ msg: 'greeting wasm', plugin: 'wasm', level: 20 }),
      expect.objectContaining({ msg: 'greeting node', plugin: 'node', level: 20 }),
      // A subprocess's stdout, logged under its name.
      expect.objectContaining({ msg: 'greeter (node) ready', plugin: 'node', level: 30 }),
    ]));
  });

  it('calls a console-shaped logger with the message first', async () => {
    const logger = recordingLogger();
    await greetThrough({ logger });
    expect(logger.records).toEqual(expect.arrayContaining([
      { level: 'debug', message: 'greeting wasm', fields: expect.objectContaining({ plugin: 'wasm' }) },
      { level: 'debug', message: 'greeting node', fields: expect.objectContaining({ plugin: 'node' }) },
    ]));
  });
});
