// A real directory tree with real symbolic links, for the filesystem tests and the interop
// corpus: a preopen with files, non-ASCII names and links in and out, and a sibling
// directory that a plugin must never reach.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tree {
  /** The preopened directory. */
  readonly root: string;
  /** A sibling the plugin must never reach. */
  readonly outside: string;
  remove(): void;
}

/**
 *   root/hello.txt            "hello"
 *   root/grüße.txt            "äöü"
 *   root/sub/file.txt         "inside"
 *   root/sub/deeper/x.txt     "x"
 *   root/link-inside       -> sub/file.txt
 *   root/link-dir-inside   -> sub
 *   root/link-out-rel      -> ../outside/secret.txt
 *   root/link-out-abs      -> <outside>/secret.txt
 *   root/link-dir-out      -> ../outside
 *   root/sub/link-up-out   -> ../../outside/secret.txt
 *   root/loop-a -> loop-b, root/loop-b -> loop-a
 *   outside/secret.txt        "secret"
 */
export function makeTree(): Tree {
  const base = mkdtempSync(join(tmpdir(), 'plugin-actors-fs-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'hello.txt'), 'hello');
  writeFileSync(join(root, 'grüße.txt'), 'äöü');
  writeFileSync(join(root, 'sub', 'file.txt'), 'inside');
  writeFileSync(join(root, 'sub', 'deeper', 'x.txt'), 'x');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync('sub/file.txt', join(root, 'link-inside'));
  symlinkSync('sub', join(root, 'link-dir-inside'));
  symlinkSync('../outside/secret.txt', join(root, 'link-out-rel'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out-abs'));
  symlinkSync('../outside', join(root, 'link-dir-out'));
  symlinkSync('../../outside/secret.txt', join(root, 'sub', 'link-up-out'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  return { root, outside, remove: () => rmSync(base, { recursive: true, force: true }) };
}

