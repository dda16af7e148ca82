// Names (validate/names.ts, legacy-names.ts): each case is refused under its rule, and its
// twin — the smallest change that makes it valid — is accepted.
import { describe, it } from 'vitest';
import { expectInvalid, expectUnsupported, expectValid } from '../../../support/components.js';

const cases = [
  { title: 'an import name that is not kebab case', rule: 'names/extern-name', invalid: '(component (import "NotKebab" (func)))', valid: '(component (import "not-kebab" (func)))' },
  { title: 'a fragment mixing cases', rule: 'names/extern-name', invalid: '(component (import "a-bC" (func)))', valid: '(component (import "a-BC" (func)))' },
  { title: 'a name starting with a digit', rule: 'names/extern-name', invalid: '(component (import "1a" (func)))', valid: '(component (import "a1" (func)))' },
  { title: 'two imports that differ only in case', rule: 'names/unique', invalid: '(component (import "foo" (func)) (import "FOO" (func)))', valid: '(component (import "foo" (func)) (import "foo-bar" (func)))' },
  { title: 'two exports of the same name', rule: 'names/unique', invalid: '(component (import "f" (func $f)) (export "g" (func $f)) (export "g" (func $f)))', valid: '(component (import "f" (func $f)) (export "g" (func $f)) (export "h" (func $f)))' },
  {
    title: 'a [method] name that canonicalizes to a plain name', rule: 'names/unique',
    invalid: '(component (import "a" (type $a (sub resource))) (import "[method]a.a" (func (param "self" (borrow $a)))))',
    valid: '(component (import "a" (type $a (sub resource))) (import "[method]a.b" (func (param "self" (borrow $a)))))',
  },
  { title: 'an interface name with an invalid version', rule: 'names/extern-name', invalid: '(component (import "a:b/c@1.x" (instance)))', valid: '(component (import "a:b/c@1.0.0" (instance)))' },
  { title: 'a version with a leading zero', rule: 'names/extern-name', invalid: '(component (import "a:b/c@01.0.0" (instance)))', valid: '(component (import "a:b/c@1.0.0-rc.1+build.5" (instance)))' },
  { title: 'an uppercase namespace', rule: 'names/extern-name', invalid: '(component (import "A:b/c" (instance)))', valid: '(component (import "a:b/c" (instance)))' },
  { title: 'an interface name without a package', rule: 'names/extern-name', invalid: '(component (import "a:/c" (instance)))', valid: '(component (import "a:b/c" (instance)))' },
  { title: 'an unknown annotation', rule: 'names/extern-name', invalid: '(component (import "[getter]a.b" (func)))', valid: '(component (import "a-b" (func)))' },
  { title: 'an instance export that is not kebab case', rule: 'names/extern-name', invalid: '(component (import "f" (func)) (instance (export "1" (func 0))))', valid: '(component (import "f" (func)) (instance (export "one" (func 0))))' },
  { title: 'a record field that is not kebab case', rule: 'names/label', invalid: '(component (type (record (field "GoNnA" string))))', valid: '(component (type (record (field "gonna" string))))' },
  { title: 'two record fields that differ only in case', rule: 'names/label-unique', invalid: '(component (type (record (field "a" u8) (field "A" u8))))', valid: '(component (type (record (field "a" u8) (field "b" u8))))' },
  { title: 'a flag name that is not kebab case', rule: 'names/label', invalid: '(component (type (flags "0-a")))', valid: '(component (type (flags "a-0")))' },
  { title: 'two parameters of the same name', rule: 'names/label-unique', invalid: '(component (type (func (param "a" u8) (param "a" u8))))', valid: '(component (type (func (param "a" u8) (param "b" u8))))' },
  { title: 'a url name with `<` inside', rule: 'names/extern-name', invalid: '(component (import "url=<<>" (func)))', valid: '(component (import "url=<a>,integrity=<sha256-a>" (func)))' },
  { title: 'an integrity with an unknown hash', rule: 'names/extern-name', invalid: '(component (import "integrity=<md5-ABC>" (func)))', valid: '(component (import "integrity=<sha384-ABC>" (func)))' },
  { title: 'a dependency name with a bad version range', rule: 'names/extern-name', invalid: '(component (import "unlocked-dep=<a:a@{xyz}>" (func)))', valid: '(component (import "unlocked-dep=<a:a@{>=1.2.3 <2.0.0}>" (func)))' },
  { title: 'a dependency name used as an export', rule: 'names/extern-name', invalid: '(component (type (component (export "locked-dep=<a:b>" (func)))))', valid: '(component (type (component (import "locked-dep=<a:b@1.0.0>" (func)))))' },
  { title: 'a versionsuffix on a function', rule: 'names/versionsuffix', invalid: '(component (import "a:b/c@1" (versionsuffix ".2.3") (func)))', valid: '(component (import "a:b/c@1" (versionsuffix ".2.3") (instance)))' },
  { title: 'a versionsuffix that makes no semver', rule: 'names/versionsuffix', invalid: '(component (import "a:b/c@1" (versionsuffix ".2") (instance)))', valid: '(component (import "a:b/c@1" (versionsuffix ".2.0") (instance)))' },
  { title: '`implements` on a function', rule: 'names/implements', invalid: '(component (import "a" (implements "a:b/c") (func)))', valid: '(component (import "a" (implements "a:b/c") (instance)))' },
];

describe('validation: names', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });

  it('refuses nested namespaces as an unsupported proposal, not as invalid', async () => {
    await expectUnsupported('(component (import "a:b:c/d" (instance)))', /nested/);
    await expectUnsupported('(component (import "a:b/c/d" (instance)))', /nested/);
  });
});
