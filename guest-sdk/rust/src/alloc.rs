//! Guest memory: `cabi_realloc` (how the host allocates in the guest), and the allocations
//! the guest makes while lowering values for the host, which are freed after the host has
//! read them (right after an import call; in post-return for an export's result).

use std::alloc::{alloc, dealloc, handle_alloc_error, realloc, Layout as AllocLayout};
use std::cell::RefCell;

/// The canonical ABI's allocator. The bindings export it as `cabi_realloc`.
///
/// # Safety
/// `old` must come from an earlier call with `old_size` and `align` (or be anything with
/// `old_size == 0`).
pub unsafe fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    if new_size == 0 {
        if old_size != 0 {
            dealloc(old, AllocLayout::from_size_align_unchecked(old_size, align));
        }
        // A zero-sized block needs no memory, only an aligned address.
        return align as *mut u8;
    }
    let layout = match AllocLayout::from_size_align(new_size, align) {
        Ok(layout) => layout,
        Err(_) => std::process::abort(),
    };
    let block = if old_size == 0 {
        alloc(layout)
    } else {
        realloc(old, AllocLayout::from_size_align_unchecked(old_size, align), new_size)
    };
    if block.is_null() {
        handle_alloc_error(layout);
    }
    block
}

thread_local! {
    /// Blocks lowered for the host and not yet freed: (address, size, align).
    static TRACKED: RefCell<Vec<(usize, usize, usize)>> = RefCell::new(Vec::new());
}

/// Allocates a block that [`free_tracked`] frees. Zero-sized blocks are not allocated.
pub fn tracked(size: usize, align: usize) -> *mut u8 {
    if size == 0 {
        return align as *mut u8;
    }
    let block = unsafe { cabi_realloc(std::ptr::null_mut(), 0, align, size) };
    TRACKED.with(|t| t.borrow_mut().push((block as usize, size, align)));
    block
}

/// How many tracked blocks exist now: an import call frees back to its mark.
pub fn tracked_mark() -> usize {
    TRACKED.with(|t| t.borrow().len())
}

/// Frees the tracked blocks allocated since `mark`.
pub fn free_tracked(mark: usize) {
    TRACKED.with(|t| {
        let mut t = t.borrow_mut();
        for (address, size, align) in t.drain(mark..) {
            unsafe { dealloc(address as *mut u8, AllocLayout::from_size_align_unchecked(size, align)) };
        }
    });
}
