// Binding root imports to host objects: instances that hold only types (however deeply
// nested) need nothing from the host; anything with a function does.
import { describe, expect, it } from 'vitest';
import { hostImportResolver, missingImports } from '../../../host/component/host-imports.js';
import { instantiateComponent } from '../../../host/component/instantiate.js';
import { compile } from '../../support/components.js';

describe('host imports', () => {
  it('needs no host object for an imported instance whose nested instances are empty', async () => {
    const compiled = await compile(`(component
      (import "a:b/c" (instance
        (export "nested" (instance (export "deeper" (instance))))
        (type $t (record (field "x" u32)))
        (export "t" (type (eq $t))))))`);
    expect(missingImports(compiled, {})).toEqual([]);
    expect(() => instantiateComponent(compiled, hostImportResolver({}, 'test'))).not.toThrow();
  });

  it('still needs one when a nested instance holds a function', async () => {
    const compiled = await compile(`(component
      (import "a:b/c" (instance (export "nested" (instance (export "f" (func)))))))`);
    expect(missingImports(compiled, {})).toEqual(['a:b/c']);
    expect(() => instantiateComponent(compiled, hostImportResolver({ 'a:b/c': {} }, 'test')))
      .toThrow(expect.objectContaining({ code: 'ERR_IMPORT_MISSING' }));
    expect(() => instantiateComponent(compiled, hostImportResolver({ 'a:b/c': { nested: { f() {} } } }, 'test'))).not.toThrow();
  });
});
