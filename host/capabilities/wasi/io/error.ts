/**
 * `wasi:io/error.error`: the payload of a stream's `last-operation-failed`. A failure of a
 * file stream also carries the `wasi:filesystem` error code, which
 * `filesystem-error-code` gives back to the guest.
 */
export class IoError {
  constructor(private readonly message: string, readonly filesystemCode?: string) {}

  toDebugString(): string {
    return this.message;
  }
}

/** The import object of `wasi:io/error`. */
export const errorInterface = { Error: IoError };
