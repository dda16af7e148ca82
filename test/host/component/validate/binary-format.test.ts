// Decoding (binary/parse.ts) and the rules only bytes can break: what the text format
// cannot even write is built here byte by byte.
import { describe, it } from 'vitest';
import { component, COMPONENT_PREAMBLE, expectInvalid, expectValid, name, section, wat } from '../../../support/components.js';

/** A nested component section holding an empty component of the given version. */
const nested = (version: number) => section(4, [0x00, 0x61, 0x73, 0x6d, version, 0x00, 0x01, 0x00]);

describe('validation: binary format', () => {
  it('refuses a nested component of another version, accepts one of the parent\'s', async () => {
    await expectInvalid(component(nested(0x0e)), 'binary-format');
    await expectValid(component(nested(0x0d)));
  });

  it('refuses a nested section holding a core module', async () => {
    await expectInvalid(component(section(4, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])), 'binary-format');
    await expectValid(component(section(1, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])));
  });

  it('refuses a custom section whose name is not UTF-8, accepts any content after a valid name', async () => {
    await expectInvalid(component(section(0, [...name([0xff, 0xfe]), 1, 2, 3])), 'binary-format');
    await expectInvalid(component(section(0, [5, 0x61])), 'binary-format');
    await expectValid(component(section(0, [...name('producers'), 0xff, 0xfe, 0x00])));
  });

  it('refuses a section with trailing bytes', async () => {
    // One type (u8) and a stray byte.
    await expectInvalid(component(section(7, [0x01, 0x7d, 0x00])), 'binary-format');
    await expectValid(component(section(7, [0x01, 0x7d])));
  });

  it('refuses an unknown section id', async () => {
    await expectInvalid(component(section(13, [])), 'binary-format');
    await expectValid(component(section(11, [0x00])));
  });

  it('refuses an import declarator inside an instance type', async () => {
    // (type (instance (type (func)) (import "f" (func (type 0))))): 0x03 is not an instance declarator.
    const decls = [0x02, 0x01, 0x40, 0x00, 0x01, 0x00, 0x03, 0x00, ...name('f'), 0x01, 0x00];
    await expectInvalid(component(section(7, [0x01, 0x42, ...decls])), 'binary-format');
    await expectValid(component(section(7, [0x01, 0x41, ...decls])));
  });

  it('refuses the export of a core function (only core modules may be exported)', async () => {
    const base = await wat('(component (core module $m (func (export "f"))) (core instance $i (instantiate $m)) (alias core export $i "f" (core func)))');
    const exportAs = (sort: number[]) => Uint8Array.from([...base, ...section(11, [0x01, 0x00, ...name('f'), ...sort, 0x00, 0x00])]);
    await expectInvalid(exportAs([0x00, 0x00]), 'externs/core-sort');
    await expectValid(exportAs([0x00, 0x11]));
  });

  it('refuses a truncated binary with its offset', async () => {
    const good = await wat('(component (type (record (field "a" u8))))');
    await expectInvalid(good.subarray(0, good.length - 2), 'binary-format');
    await expectValid(good);
    await expectValid(Uint8Array.from(COMPONENT_PREAMBLE));
  });
});
