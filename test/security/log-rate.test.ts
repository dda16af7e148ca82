// limits.logRecordsPerSecond: a plugin that floods its logs is cut to the limit per second;
// the excess is dropped and counted, with one warning per burst.
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitedLogger } from '../../host/capabilities/log-rate.js';
import { ActorSystem, isPluginHostError } from '../../host/index.js';
import { greeterSpecs, recordingLogger, root } from '../helpers.js';

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

describe('the log rate limiter', () => {
  it('passes the limit each second, drops and counts the rest, warns once per burst', () => {
    const sink = recordingLogger();
    let t = 5_000;
    const log = rateLimitedLogger(sink, { plugin: 'p', recordsPerSecond: 3, now: () => t });
    for (let i = 0; i < 10; i++) log.info(`a${i}`);
    expect(sink.records.map((r) => r.message).filter((m) => m.startsWith('a'))).toEqual(['a0', 'a1', 'a2']);
    expect(log.dropped).toBe(7);
    // The next second, still flooding: the same burst, no second warning.
    t += 1_000;
    for (let i = 0; i < 10; i++) log.info(`b${i}`);
    expect(log.dropped).toBe(14);
    const warnings = () => sink.records.filter((r) => r.level === 'warn' && /logRecordsPerSecond/.test(r.message));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.fields).toMatchObject({ plugin: 'p', droppedLogRecords: 1 });
    // A quiet second ends the burst; the next flood warns again, with the running count.
    t += 2_000;
    for (let i = 0; i < 5; i++) log.warn(`c${i}`);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]!.fields).toMatchObject({ droppedLogRecords: 15 });
    expect(sink.records.filter((r) => r.message.startsWith('c'))).toHaveLength(3);
  });
});

describe('logRecordsPerSecond as an option', () => {
  it('is a positive whole number for wasm and process plugins', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    for (const logRecordsPerSecond of [0, -5, 0.5, '10']) {
      const e = await system.load({ name: 'v', ...greeterSpecs.wasm, limits: { logRecordsPerSecond } } as never).then(() => undefined, (x: unknown) => x);
      expect(isPluginHostError(e) && e.code).toBe('ERR_INVALID_OPTION');
    }
    const node = await system.load({ name: 'ok', ...greeterSpecs.process, limits: { logRecordsPerSecond: 5 } });
    expect(await node.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('x')).toMatch(/x/);
  });
});

describe('a process plugin flooding stderr', () => {
  it('reaches the logger at the limit; the rest is dropped with one warning', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const [node, ...args] = greeterSpecs.process.command;
    const plugin = await system.load({
      name: 'flood', command: [node!, '--require', root('test/fixtures/security/log-flood.cjs'), ...args], limits: { logRecordsPerSecond: 10 },
    });
    expect(await plugin.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('x')).toMatch(/x/);
    await system.close();
    system = undefined;
    const flood = logger.records.filter((r) => r.message.startsWith('flood '));
    // 10 a second: all 5,000 lines would take 500 seconds to pass.
    expect(flood.length).toBeGreaterThan(0);
    expect(flood.length).toBeLessThan(5000);
    const warnings = logger.records.filter((r) => r.level === 'warn' && /logRecordsPerSecond/.test(r.message));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]!.fields).toMatchObject({ plugin: 'flood' });
  });
});
