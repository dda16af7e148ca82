//! Resource handles and representations.
//!
//! A handle (`u32`) is the host's name for a resource; the generated wrapper types hold one
//! in a [`Handle`], which remembers when ownership moved to the host. A resource the guest
//! implements is kept as a *rep*: the address of a boxed `dyn Any`, so that looking it up
//! with the wrong type is a clear panic instead of undefined behaviour.

use std::any::Any;
use std::cell::Cell;

const MOVED: u32 = u32::MAX;

/// An owned handle that can be given away once (`take`), after which dropping the wrapper
/// must not drop the resource.
#[derive(Debug)]
pub struct Handle(Cell<u32>);

impl Handle {
    pub fn new(handle: u32) -> Self {
        Handle(Cell::new(handle))
    }

    /// The handle, for lending (borrow). Panics if it was given away.
    pub fn get(&self) -> u32 {
        let h = self.0.get();
        if h == MOVED {
            panic!("use of a resource handle after it was moved to the host");
        }
        h
    }

    /// The handle, giving ownership away.
    pub fn take(&self) -> u32 {
        let h = self.get();
        self.0.set(MOVED);
        h
    }

    /// The handle if this wrapper still owns it (for `Drop`).
    pub fn owned(&self) -> Option<u32> {
        let h = self.0.get();
        if h == MOVED {
            None
        } else {
            Some(h)
        }
    }
}

/// Boxes a value as a resource representation.
pub fn new_rep<T: 'static>(value: T) -> u32 {
    let boxed: Box<Box<dyn Any>> = Box::new(Box::new(value));
    Box::into_raw(boxed) as usize as u32
}

/// The value behind a rep.
///
/// # Safety
/// `rep` must come from [`new_rep`] and not have been dropped; the reference must not
/// outlive the resource.
pub unsafe fn rep_ref<'a, T: 'static>(rep: u32) -> &'a T {
    let boxed = &*(rep as usize as *const Box<dyn Any>);
    match boxed.downcast_ref::<T>() {
        Some(value) => value,
        None => panic!("resource representation is not a {}", std::any::type_name::<T>()),
    }
}

/// Drops the value behind a rep (the resource's destructor).
///
/// # Safety
/// `rep` must come from [`new_rep`] and not have been dropped.
pub unsafe fn drop_rep(rep: u32) {
    drop(Box::from_raw(rep as usize as *mut Box<dyn Any>));
}

/// What a rep holds after its value was moved out (the destructor still runs later).
struct Taken;

/// Moves the value out of a rep; the rep stays valid (holding nothing) until its destructor.
///
/// # Safety
/// `rep` must come from [`new_rep`] and not have been dropped, and no reference from
/// [`rep_ref`] may be alive.
pub unsafe fn take_rep<T: 'static>(rep: u32) -> T {
    let slot = &mut *(rep as usize as *mut Box<dyn Any>);
    if !slot.is::<T>() {
        panic!("resource representation is not a {} (or was moved out already)", std::any::type_name::<T>());
    }
    let value = std::mem::replace(slot, Box::new(Taken));
    match value.downcast::<T>() {
        Ok(value) => *value,
        Err(_) => unreachable!(),
    }
}
