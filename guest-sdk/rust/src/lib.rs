//! Runtime support for [plugin-actors] guests written in Rust.
//!
//! A plugin crate does not use most of this directly: `plugin-actors build` generates
//! `src/bindings.rs` from the plugin's WIT world, and that file implements the canonical ABI
//! for the world's types with the traits here ([`Lift`], [`Lower`]), declares the imports,
//! and provides the `export!` macro that turns the author's trait implementations into the
//! component's exports.
//!
//! What authors use: [`log`] (write to the host application's logger), the resource handle
//! types the bindings generate, and ordinary Rust types (`String`, `Vec<T>`, `Option<T>`,
//! `Result<T, E>`, tuples).
//!
//! The crate has no dependencies and uses `std` (it targets `wasm32-unknown-unknown`, whose
//! standard library has allocation, collections and formatting; what needs an operating
//! system, such as files or threads, is unavailable there anyway).
//!
//! [plugin-actors]: https://www.npmjs.com/package/plugin-actors

mod abi;
mod alloc;
pub mod log;
mod panic;
mod resources;

pub use abi::{payload_offset, FlatIn, FlatOut, Layout, Lift, ListElement, Lower, MAX_FLAT_PARAMS};
pub use alloc::{cabi_realloc, free_tracked, tracked, tracked_mark};
pub use panic::enter;
pub use resources::{drop_rep, new_rep, rep_ref, take_rep, Handle};
