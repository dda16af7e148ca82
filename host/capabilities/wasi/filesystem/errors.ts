/**
 * `wasi:filesystem/types.error-code` from what the host's file system said. Every failure of
 * a filesystem operation reaches the guest as one of these codes (thrown as the `err` of
 * the function's `result`); nothing the file system does traps the plugin.
 */

export type ErrorCode =
  | 'access' | 'would-block' | 'already' | 'bad-descriptor' | 'busy' | 'deadlock' | 'quota' | 'exist'
  | 'file-too-large' | 'illegal-byte-sequence' | 'in-progress' | 'interrupted' | 'invalid' | 'io'
  | 'is-directory' | 'loop' | 'too-many-links' | 'message-size' | 'name-too-long' | 'no-device'
  | 'no-entry' | 'no-lock' | 'insufficient-memory' | 'insufficient-space' | 'not-directory'
  | 'not-empty' | 'not-recoverable' | 'unsupported' | 'no-tty' | 'no-such-device' | 'overflow'
  | 'not-permitted' | 'pipe' | 'read-only' | 'invalid-seek' | 'text-file-busy' | 'cross-device';

/** A thrown `error-code` (the runtime lowers `payload` into the function's `result`). */
export class FsError {
  constructor(readonly payload: ErrorCode) {}
}

const BY_ERRNO: Readonly<Record<string, ErrorCode>> = {
  EACCES: 'access', EAGAIN: 'would-block', EWOULDBLOCK: 'would-block', EALREADY: 'already',
  EBADF: 'bad-descriptor', EBUSY: 'busy', EDEADLK: 'deadlock', EDQUOT: 'quota', EEXIST: 'exist',
  EFBIG: 'file-too-large', EILSEQ: 'illegal-byte-sequence', EINPROGRESS: 'in-progress',
  EINTR: 'interrupted', EINVAL: 'invalid', EIO: 'io', EISDIR: 'is-directory', ELOOP: 'loop',
  EMLINK: 'too-many-links', EMSGSIZE: 'message-size', ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device', ENOENT: 'no-entry', ENOLCK: 'no-lock', ENOMEM: 'insufficient-memory',
  // The host process is out of descriptors: as close to "no memory" as WASI can say.
  EMFILE: 'insufficient-memory', ENFILE: 'insufficient-memory',
  ENOSPC: 'insufficient-space', ENOTDIR: 'not-directory', ENOTEMPTY: 'not-empty',
  ENOTRECOVERABLE: 'not-recoverable', ENOTSUP: 'unsupported', EOPNOTSUPP: 'unsupported',
  ENOSYS: 'unsupported', ENOTTY: 'no-tty', ENXIO: 'no-such-device', EOVERFLOW: 'overflow',
  EPERM: 'not-permitted', EPIPE: 'pipe', EROFS: 'read-only', ESPIPE: 'invalid-seek',
  ETXTBSY: 'text-file-busy', EXDEV: 'cross-device',
};

/**
 * The error code for what a Node `fs` call threw, or undefined when it is not a file system
 * failure at all (a bug here, which should stay loud: it traps the plugin).
 */
export function codeOf(error: unknown): ErrorCode | undefined {
  if (error instanceof FsError) return error.payload;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code in BY_ERRNO) return BY_ERRNO[code]!;
  // Node's own argument checks (a value it cannot pass to the system), then any other errno.
  return code.startsWith('ERR_') ? 'invalid' : 'io';
}

/** Runs a file system call; a file system failure becomes an `FsError`. */
export function fsCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const code = codeOf(error);
    throw code === undefined ? error : error instanceof FsError ? error : new FsError(code);
  }
}

export const fail = (code: ErrorCode): never => {
  throw new FsError(code);
};
