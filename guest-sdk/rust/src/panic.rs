//! Panics: the message goes to the host's log (level error), then the guest traps, which
//! the host reports as `ERR_TRAPPED` and which ends the plugin instance.

use std::sync::atomic::{AtomicBool, Ordering};

static HOOKED: AtomicBool = AtomicBool::new(false);

/// Called by every generated export before the author's code runs; installs the panic hook
/// once (the component model has no start function the bindings could use instead).
#[inline]
pub fn enter() {
    if !HOOKED.load(Ordering::Relaxed) {
        HOOKED.store(true, Ordering::Relaxed);
        // A hook the author installed earlier still runs, after the record is written.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            crate::log::error(&format!("panic: {}", info));
            previous(info);
        }));
    }
}
