/**
 * `wasi:cli/stdin`, `stdout` and `stderr`. Granted (`stdio: true`), stdout lines become
 * `info` records and stderr lines `warn` records in the host's logger, under the plugin's
 * name; ungranted, output is discarded (as if written to /dev/null). Stdin is always empty.
 */
import type { Logger } from '../../../system/node-connection.js';
import { writePluginLog } from '../../host-log.js';
import { discardSink, emptySource, InputStream, OutputStream } from '../io/streams.js';
import { LogLineSink } from './log-lines.js';

export function stdioInterfaces(granted: boolean, plugin: string, logger: Logger): { interfaces: Record<string, object>; end(): void } {
  const stdin = new InputStream(emptySource);
  let stdout: OutputStream;
  let stderr: OutputStream;
  let end = () => {};
  if (granted) {
    const out = new LogLineSink((line) => writePluginLog(logger, plugin, 'info', line, { stream: 'stdout' }));
    const err = new LogLineSink((line) => writePluginLog(logger, plugin, 'warn', line, { stream: 'stderr' }));
    stdout = new OutputStream(out);
    stderr = new OutputStream(err);
    end = () => {
      out.end();
      err.end();
    };
  } else {
    stdout = new OutputStream(discardSink);
    stderr = new OutputStream(discardSink);
  }
  return {
    interfaces: {
      'wasi:cli/stdin': { getStdin: () => stdin },
      'wasi:cli/stdout': { getStdout: () => stdout },
      'wasi:cli/stderr': { getStderr: () => stderr },
    },
    end,
  };
}
