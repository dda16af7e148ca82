/**
 * A byte sink that turns a guest's output stream into log records, one per line: writes
 * and flushes may split a line anywhere (the guest's libc decides), so a record is emitted
 * only at a newline, or at the end of the plugin for a last unterminated line. A line
 * longer than `MAX_LOG_RECORD_CHARS` keeps its beginning, and its record says how much was
 * dropped; the sink never holds more than one capped line.
 */
import { MAX_LOG_RECORD_CHARS, cutMarker } from '../../host-log.js';
import type { ByteSink } from '../io/streams.js';

export class LogLineSink implements ByteSink {
  // Not fatal: invalid UTF-8 from a guest becomes U+FFFD rather than a failed write.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private line = '';
  private dropped = 0;

  constructor(private readonly emit: (record: string) => void) {}

  write(bytes: Uint8Array): void {
    this.take(this.decoder.decode(bytes, { stream: true }));
  }

  /** Line-buffered: a flush does not end a line. */
  flush(): void {}

  /** The plugin ended: emit what is left of the last line. */
  end(): void {
    this.take(this.decoder.decode());
    if (this.line !== '' || this.dropped > 0) this.emitLine();
  }

  private take(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      this.append(nl < 0 ? text.slice(start) : text.slice(start, nl));
      if (nl < 0) return;
      this.emitLine();
      start = nl + 1;
    }
  }

  private append(piece: string): void {
    let room = MAX_LOG_RECORD_CHARS - this.line.length;
    if (piece.length <= room) {
      this.line += piece;
      return;
    }
    // Never end a kept prefix on the first half of a surrogate pair.
    const code = piece.charCodeAt(room - 1);
    if (room > 0 && code >= 0xd800 && code <= 0xdbff) room--;
    this.line += piece.slice(0, room);
    this.dropped += piece.length - room;
  }

  private emitLine(): void {
    const text = this.dropped > 0 ? `${this.line}${cutMarker(this.dropped)}` : this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    this.dropped = 0;
    this.emit(text);
  }
}
