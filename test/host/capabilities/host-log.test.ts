// A wasm plugin's `plugin-actors:host/log` records are capped like its stdout lines.
import { describe, expect, it } from 'vitest';
import { logImport, MAX_LOG_RECORD_CHARS } from '../../../host/capabilities/host-log.js';
import { recordingLogger } from '../../helpers.js';

describe('logImport', () => {
  it(`cuts a record at ${MAX_LOG_RECORD_CHARS} characters, saying how much was dropped`, () => {
    const logger = recordingLogger();
    const log = logImport(logger, 'p');
    log.log('info', 'x'.repeat(MAX_LOG_RECORD_CHARS + 5));
    log.log('warn', 'short');
    expect(logger.records.map((r) => r.message.length > MAX_LOG_RECORD_CHARS)).toEqual([true, false]);
    expect(logger.records[0]!.message).toMatch(/…\[cut at 65536 characters; 5 more dropped\]$/);
    expect(logger.records[1]).toEqual({ level: 'warn', message: 'short', fields: { plugin: 'p' } });
  });
});
