// A guest cannot grow host memory without end by holding handles.
import { describe, expect, it } from 'vitest';
import { HandleTable, MAX_HANDLES } from '../../../../host/component/runtime/resources.js';
import { newResource } from '../../../../host/component/runtime/types.js';

describe('HandleTable', () => {
  it(`traps beyond ${MAX_HANDLES} live handles, and reuses freed indices`, () => {
    const table = new HandleTable();
    const rt = newResource('thing');
    for (let i = 0; i < MAX_HANDLES; i++) table.add({ rt, rep: i, own: true });
    expect(() => table.add({ rt, rep: -1, own: true })).toThrow(`the instance holds ${MAX_HANDLES} handles, the most it may`);
    table.remove(7, rt);
    expect(table.add({ rt, rep: 7, own: true })).toBe(7);
  });
});
