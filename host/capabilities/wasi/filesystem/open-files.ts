/**
 * The host descriptors one plugin holds (open files and directories, directory listings).
 * Each counts against the plugin's limit and is closed when the last user lets go or, at
 * the latest, when the plugin's node ends (`closeAll`): a plugin that never drops its
 * handles still cannot leak descriptors past its lifetime, nor hold more than `limit`.
 */
import { closeSync, openSync } from 'node:fs';
import { fail, fsCall } from './errors.js';

/** How many host descriptors one plugin may hold at once. */
export const DEFAULT_MAX_OPEN = 256;

/**
 * An open file or directory, reference-counted: a descriptor and the streams it opened
 * share one, and the last `release` closes it.
 */
export class OpenFd {
  private refs = 1;
  private open = true;

  constructor(private readonly number: number, private readonly onClose: (handle: OpenFd) => void) {}

  /**
   * The descriptor number, only while it is open: once closed the host may reuse the number
   * for one of its own files, so a late use must fail rather than reach it.
   * @throws FsError `bad-descriptor` after close
   */
  get fd(): number {
    if (!this.open) fail('bad-descriptor');
    return this.number;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs > 0 && --this.refs === 0) this.close();
  }

  /** Closes now, whoever still refers to it. Idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.refs = 0;
    try {
      closeSync(this.number);
    } catch {
      // Already gone: nothing left to release.
    }
    this.onClose(this);
  }
}

export class OpenFiles {
  /** Everything held, each with how to close it. */
  private readonly held = new Map<object, () => void>();
  private ended = false;

  constructor(private readonly limit = DEFAULT_MAX_OPEN) {}

  /** Opens `path` for the plugin. @throws FsError (`insufficient-memory` beyond the limit) */
  open(path: string, flags: number, mode = 0o666): OpenFd {
    this.checkRoom();
    const handle = new OpenFd(fsCall(() => openSync(path, flags, mode)), (h) => this.held.delete(h));
    this.held.set(handle, () => handle.close());
    return handle;
  }

  /**
   * Counts something that holds a descriptor of its own (a directory listing) until the
   * returned function is called. @throws FsError (`insufficient-memory` beyond the limit)
   */
  hold(close: () => void): () => void {
    this.checkRoom();
    const token = {};
    this.held.set(token, close);
    return () => {
      if (this.held.delete(token)) close();
    };
  }

  /** The plugin ended: close everything it still holds. Idempotent. */
  closeAll(): void {
    this.ended = true;
    for (const close of [...this.held.values()]) close();
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }

  private checkRoom(): void {
    if (this.ended) fail('bad-descriptor');
    if (this.held.size >= this.limit) fail('insufficient-memory');
  }
}
