// Features this host does not implement are refused as ERR_COMPONENT_UNSUPPORTED naming the
// feature (never as invalid, never by crashing); the nearest supported form loads.
import { describe, it } from 'vitest';
import { component, expectUnsupported, expectValid, section } from '../../../support/components.js';

const CORE = '(core module $m (memory (export "mem") 1) (func (export "f") (param i32) (result i32) local.get 0)) (core instance $i (instantiate $m))';

const cases = [
  {
    title: 'async lifting', feature: /async/,
    unsupported: `(component ${CORE} (func (param "a" u32) (result u32) (canon lift (core func $i "f") async)))`,
    twin: `(component ${CORE} (func (param "a" u32) (result u32) (canon lift (core func $i "f"))))`,
  },
  { title: 'async function types', feature: /async/, unsupported: '(component (type (func async)))', twin: '(component (type (func)))' },
  { title: 'stream types', feature: /stream/, unsupported: '(component (type (stream u8)))', twin: '(component (type (list u8)))' },
  { title: 'future types', feature: /future/, unsupported: '(component (type (future u8)))', twin: '(component (type (option u8)))' },
  { title: 'map types', feature: /map/, unsupported: '(component (type (map string u32)))', twin: '(component (type (list (tuple string u32))))' },
  { title: 'error-context', feature: /error-context/, unsupported: '(component (type (list error-context)))', twin: '(component (type (list u32)))' },
  { title: 'async built-ins', feature: /task\.return/, unsupported: '(component (core func (canon task.return)))', twin: '(component (type $r (resource (rep i32))) (core func (canon resource.drop $r)))' },
  { title: 'memory64', feature: /memory64/, unsupported: '(component (core module (memory i64 1)))', twin: '(component (core module (memory 1)))' },
  { title: 'multiple memories', feature: /multi-memory/, unsupported: '(component (core module (memory 1) (memory 1)))', twin: '(component (core module (memory 1)))' },
  { title: 'GC types', feature: /GC/, unsupported: '(component (core module (type (struct (field i32)))))', twin: '(component (core module (type (func))))' },
  { title: 'custom page sizes', feature: /page size/, unsupported: '(component (core module (memory 1 (pagesize 1))))', twin: '(component (core module (memory 1)))' },
  { title: 'nested interface names', feature: /nested/, unsupported: '(component (import "a:b:c/d" (instance)))', twin: '(component (import "a:b/d" (instance)))' },
];

describe('validation: unsupported features', () => {
  it.each(cases)('refuses $title as unsupported and accepts the supported twin', async ({ unsupported, feature, twin }) => {
    await expectUnsupported(unsupported, feature);
    await expectValid(twin);
  });

  it('refuses start functions and value definitions as unsupported', async () => {
    await expectUnsupported(component(section(9, [0x00, 0x00, 0x00])), /start/);
    await expectUnsupported(component(section(12, [0x00])), /value/);
  });
});
