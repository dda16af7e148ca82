/** The Rust plugin projects whose built components are committed (see rust-components.test.ts). */
export const RUST_PROJECTS = ['examples/greeter/rust', 'test/runtime/kitchen-sink/rust', 'test/fixtures/faults/rust', 'examples/text-pipeline/plugins/2-redact'] as const;
