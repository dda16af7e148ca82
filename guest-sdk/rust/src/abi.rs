//! The canonical ABI for Rust values: [`Layout`] (size, alignment, flat count), [`Lower`]
//! (Rust value → core values or memory, for the host to read) and [`Lift`] (core values or
//! memory the host wrote → Rust value).
//!
//! Flat values travel as `u64` slots holding the value's bits: an `i32` zero-extended, an
//! `f32` as its bits zero-extended. With that convention a variant's joined slots need no
//! per-case conversion: only the generated export and import functions convert slots to and
//! from the function's actual core types.
//!
//! Ownership: lifting takes ownership of what the host allocated with `cabi_realloc` (a
//! lifted `String` or `Vec` reuses the block when its layout allows, else frees it);
//! lowering copies into tracked blocks (see [`crate::tracked`]) freed after the host read
//! them, so lowering never consumes the Rust value.

use crate::alloc::tracked;
use std::alloc::{dealloc, Layout as AllocLayout};

/// The most flat values a call passes in core parameters (more go through memory).
pub const MAX_FLAT_PARAMS: usize = 16;

/// Canonical ABI size, alignment and flat count of a type.
pub trait Layout {
    const SIZE: usize;
    const ALIGN: usize;
    const FLAT: usize;
}

/// Flat slots being written.
pub struct FlatOut {
    slots: [u64; MAX_FLAT_PARAMS],
    len: usize,
}

impl FlatOut {
    pub fn new() -> Self {
        FlatOut { slots: [0; MAX_FLAT_PARAMS], len: 0 }
    }
    #[inline]
    pub fn push(&mut self, bits: u64) {
        self.slots[self.len] = bits;
        self.len += 1;
    }
    #[inline]
    pub fn i32(&mut self, v: i32) {
        self.push(v as u32 as u64)
    }
    #[inline]
    pub fn i64(&mut self, v: i64) {
        self.push(v as u64)
    }
    #[inline]
    pub fn f32(&mut self, v: f32) {
        self.push(v.to_bits() as u64)
    }
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.push(v.to_bits())
    }
    /// Zero slots up to `len` (a variant case shorter than the variant).
    #[inline]
    pub fn pad_to(&mut self, len: usize) {
        while self.len < len {
            self.push(0);
        }
    }
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    #[inline]
    pub fn slot(&self, i: usize) -> u64 {
        self.slots[i]
    }
}

impl Default for FlatOut {
    fn default() -> Self {
        Self::new()
    }
}

/// Flat slots being read.
pub struct FlatIn<'a> {
    slots: &'a [u64],
    pos: usize,
}

impl<'a> FlatIn<'a> {
    pub fn new(slots: &'a [u64]) -> Self {
        FlatIn { slots, pos: 0 }
    }
    #[inline]
    pub fn next(&mut self) -> u64 {
        let v = self.slots[self.pos];
        self.pos += 1;
        v
    }
    #[inline]
    pub fn i32(&mut self) -> i32 {
        self.next() as u32 as i32
    }
    #[inline]
    pub fn i64(&mut self) -> i64 {
        self.next() as i64
    }
    #[inline]
    pub fn f32(&mut self) -> f32 {
        f32::from_bits(self.next() as u32)
    }
    #[inline]
    pub fn f64(&mut self) -> f64 {
        f64::from_bits(self.next())
    }
    /// Skips slots up to `pos` (after a variant case shorter than the variant).
    #[inline]
    pub fn skip_to(&mut self, pos: usize) {
        self.pos = pos;
    }
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }
}

/// Rust value → canonical ABI.
pub trait Lower {
    fn lower_flat(&self, out: &mut FlatOut);
    /// # Safety
    /// `ptr` must be valid for `SIZE` bytes and aligned.
    unsafe fn store(&self, ptr: *mut u8);
}

/// Canonical ABI → Rust value.
pub trait Lift: Sized {
    /// # Safety
    /// The slots must hold a value of this type as the host lowered it.
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self;
    /// # Safety
    /// `ptr` must hold a value of this type as the host stored it.
    unsafe fn load(ptr: *const u8) -> Self;
}

/// Lists of a type: per element by default, one copy for plain numbers.
pub trait ListElement: Layout + Sized {
    /// Stores the elements in a tracked block: (address, length).
    fn store_list(items: &[Self]) -> (u32, u32)
    where
        Self: Lower,
    {
        let block = tracked(Self::SIZE * items.len(), Self::ALIGN);
        for (i, item) in items.iter().enumerate() {
            unsafe { item.store(block.add(i * Self::SIZE)) };
        }
        (block as usize as u32, items.len() as u32)
    }

    /// Takes a list the host allocated.
    ///
    /// # Safety
    /// `ptr` must be a block of `len` elements from `cabi_realloc`.
    unsafe fn load_list(ptr: u32, len: u32) -> Vec<Self>
    where
        Self: Lift,
    {
        let (ptr, len) = (ptr as usize as *mut u8, len as usize);
        if len == 0 {
            return Vec::new();
        }
        let items = (0..len).map(|i| Self::load(ptr.add(i * Self::SIZE))).collect();
        dealloc(ptr, AllocLayout::from_size_align_unchecked(Self::SIZE * len, Self::ALIGN));
        items
    }
}

// ------------------------------------------------------------------ primitives

macro_rules! integer {
    ($t:ty, $size:expr, $flat:ident, $core:ty) => {
        impl Layout for $t {
            const SIZE: usize = $size;
            const ALIGN: usize = $size;
            const FLAT: usize = 1;
        }
        impl Lower for $t {
            #[inline]
            fn lower_flat(&self, out: &mut FlatOut) {
                out.$flat(*self as $core)
            }
            #[inline]
            unsafe fn store(&self, ptr: *mut u8) {
                (ptr as *mut $t).write(*self)
            }
        }
        impl Lift for $t {
            #[inline]
            unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
                inp.$flat() as $t
            }
            #[inline]
            unsafe fn load(ptr: *const u8) -> Self {
                (ptr as *const $t).read()
            }
        }
        impl ListElement for $t {
            fn store_list(items: &[Self]) -> (u32, u32) {
                let block = tracked(std::mem::size_of_val(items), $size);
                unsafe { std::ptr::copy_nonoverlapping(items.as_ptr(), block as *mut $t, items.len()) };
                (block as usize as u32, items.len() as u32)
            }
            unsafe fn load_list(ptr: u32, len: u32) -> Vec<Self> {
                if len == 0 {
                    return Vec::new();
                }
                // The host allocated exactly this layout with cabi_realloc: the Vec adopts it.
                Vec::from_raw_parts(ptr as usize as *mut $t, len as usize, len as usize)
            }
        }
    };
}

integer!(u8, 1, i32, i32);
integer!(i8, 1, i32, i32);
integer!(u16, 2, i32, i32);
integer!(i16, 2, i32, i32);
integer!(u32, 4, i32, i32);
integer!(i32, 4, i32, i32);
integer!(u64, 8, i64, i64);
integer!(i64, 8, i64, i64);
integer!(f32, 4, f32, f32);
integer!(f64, 8, f64, f64);

impl Layout for bool {
    const SIZE: usize = 1;
    const ALIGN: usize = 1;
    const FLAT: usize = 1;
}
impl Lower for bool {
    fn lower_flat(&self, out: &mut FlatOut) {
        out.i32(*self as i32)
    }
    unsafe fn store(&self, ptr: *mut u8) {
        ptr.write(*self as u8)
    }
}
impl Lift for bool {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        inp.i32() != 0
    }
    unsafe fn load(ptr: *const u8) -> Self {
        ptr.read() != 0
    }
}
impl ListElement for bool {}

impl Layout for char {
    const SIZE: usize = 4;
    const ALIGN: usize = 4;
    const FLAT: usize = 1;
}
impl Lower for char {
    fn lower_flat(&self, out: &mut FlatOut) {
        out.i32(*self as i32)
    }
    unsafe fn store(&self, ptr: *mut u8) {
        (ptr as *mut u32).write(*self as u32)
    }
}
fn to_char(v: u32) -> char {
    match char::from_u32(v) {
        Some(c) => c,
        None => panic!("the host sent {:#x}, which is not a Unicode scalar value", v),
    }
}
impl Lift for char {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        to_char(inp.i32() as u32)
    }
    unsafe fn load(ptr: *const u8) -> Self {
        to_char((ptr as *const u32).read())
    }
}
impl ListElement for char {}

impl Layout for () {
    const SIZE: usize = 0;
    const ALIGN: usize = 1;
    const FLAT: usize = 0;
}
impl Lower for () {
    fn lower_flat(&self, _: &mut FlatOut) {}
    unsafe fn store(&self, _: *mut u8) {}
}
impl Lift for () {
    unsafe fn lift_flat(_: &mut FlatIn) -> Self {}
    unsafe fn load(_: *const u8) -> Self {}
}

// ------------------------------------------------------------------ strings and lists

/// Stores (address, length) as two u32s.
unsafe fn store_pair(ptr: *mut u8, (address, length): (u32, u32)) {
    (ptr as *mut u32).write(address);
    (ptr.add(4) as *mut u32).write(length);
}

unsafe fn load_pair(ptr: *const u8) -> (u32, u32) {
    ((ptr as *const u32).read(), (ptr.add(4) as *const u32).read())
}

fn lower_str(s: &str) -> (u32, u32) {
    let block = tracked(s.len(), 1);
    unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), block, s.len()) };
    (block as usize as u32, s.len() as u32)
}

unsafe fn lift_string(ptr: u32, len: u32) -> String {
    if len == 0 {
        return String::new();
    }
    // The host writes UTF-8 it has validated; the block becomes the String's buffer.
    String::from_utf8_unchecked(Vec::from_raw_parts(ptr as usize as *mut u8, len as usize, len as usize))
}

impl Layout for str {
    const SIZE: usize = 8;
    const ALIGN: usize = 4;
    const FLAT: usize = 2;
}
impl Lower for str {
    fn lower_flat(&self, out: &mut FlatOut) {
        let (p, n) = lower_str(self);
        out.i32(p as i32);
        out.i32(n as i32);
    }
    unsafe fn store(&self, ptr: *mut u8) {
        store_pair(ptr, lower_str(self))
    }
}

impl Layout for String {
    const SIZE: usize = 8;
    const ALIGN: usize = 4;
    const FLAT: usize = 2;
}
impl Lower for String {
    fn lower_flat(&self, out: &mut FlatOut) {
        self.as_str().lower_flat(out)
    }
    unsafe fn store(&self, ptr: *mut u8) {
        self.as_str().store(ptr)
    }
}
impl Lift for String {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        let p = inp.i32() as u32;
        let n = inp.i32() as u32;
        lift_string(p, n)
    }
    unsafe fn load(ptr: *const u8) -> Self {
        let (p, n) = load_pair(ptr);
        lift_string(p, n)
    }
}
impl ListElement for String {}

impl<T: ListElement + Lower> Layout for [T] {
    const SIZE: usize = 8;
    const ALIGN: usize = 4;
    const FLAT: usize = 2;
}
impl<T: ListElement + Lower> Lower for [T] {
    fn lower_flat(&self, out: &mut FlatOut) {
        let (p, n) = T::store_list(self);
        out.i32(p as i32);
        out.i32(n as i32);
    }
    unsafe fn store(&self, ptr: *mut u8) {
        store_pair(ptr, T::store_list(self))
    }
}

impl<T> Layout for Vec<T> {
    const SIZE: usize = 8;
    const ALIGN: usize = 4;
    const FLAT: usize = 2;
}
impl<T: ListElement + Lower> Lower for Vec<T> {
    fn lower_flat(&self, out: &mut FlatOut) {
        self.as_slice().lower_flat(out)
    }
    unsafe fn store(&self, ptr: *mut u8) {
        self.as_slice().store(ptr)
    }
}
impl<T: ListElement + Lift> Lift for Vec<T> {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        let p = inp.i32() as u32;
        let n = inp.i32() as u32;
        T::load_list(p, n)
    }
    unsafe fn load(ptr: *const u8) -> Self {
        let (p, n) = load_pair(ptr);
        T::load_list(p, n)
    }
}
impl<T: ListElement> ListElement for Vec<T> {}

// ------------------------------------------------------------------ option and result

#[cold]
fn invalid_discriminant(what: &str, d: u32) -> ! {
    panic!("the host sent {} as the discriminant of an {}", d, what)
}

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

const fn align_to(offset: usize, align: usize) -> usize {
    (offset + align - 1) / align * align
}

/// Where the payload of a variant with a one-byte discriminant starts.
pub const fn payload_offset(payload_align: usize) -> usize {
    align_to(1, payload_align)
}

impl<T: Layout> Layout for Option<T> {
    const ALIGN: usize = max(1, T::ALIGN);
    const SIZE: usize = align_to(payload_offset(T::ALIGN) + T::SIZE, max(1, T::ALIGN));
    const FLAT: usize = 1 + T::FLAT;
}
impl<T: Layout + Lower> Lower for Option<T> {
    fn lower_flat(&self, out: &mut FlatOut) {
        let end = out.len() + <Self as Layout>::FLAT;
        match self {
            None => out.i32(0),
            Some(v) => {
                out.i32(1);
                v.lower_flat(out);
            }
        }
        out.pad_to(end);
    }
    unsafe fn store(&self, ptr: *mut u8) {
        match self {
            None => ptr.write(0),
            Some(v) => {
                ptr.write(1);
                v.store(ptr.add(payload_offset(T::ALIGN)));
            }
        }
    }
}
impl<T: Layout + Lift> Lift for Option<T> {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        let end = inp.pos() + <Self as Layout>::FLAT;
        let value = match inp.i32() {
            0 => None,
            1 => Some(T::lift_flat(inp)),
            d => invalid_discriminant("option", d as u32),
        };
        inp.skip_to(end);
        value
    }
    unsafe fn load(ptr: *const u8) -> Self {
        match ptr.read() {
            0 => None,
            1 => Some(T::load(ptr.add(payload_offset(T::ALIGN)))),
            d => invalid_discriminant("option", d as u32),
        }
    }
}
impl<T: Layout> ListElement for Option<T> {}

impl<T: Layout, E: Layout> Layout for Result<T, E> {
    const ALIGN: usize = max(1, max(T::ALIGN, E::ALIGN));
    const SIZE: usize = align_to(payload_offset(max(T::ALIGN, E::ALIGN)) + max(T::SIZE, E::SIZE), max(1, max(T::ALIGN, E::ALIGN)));
    const FLAT: usize = 1 + max(T::FLAT, E::FLAT);
}
impl<T: Layout + Lower, E: Layout + Lower> Lower for Result<T, E> {
    fn lower_flat(&self, out: &mut FlatOut) {
        let end = out.len() + <Self as Layout>::FLAT;
        match self {
            Ok(v) => {
                out.i32(0);
                v.lower_flat(out);
            }
            Err(e) => {
                out.i32(1);
                e.lower_flat(out);
            }
        }
        out.pad_to(end);
    }
    unsafe fn store(&self, ptr: *mut u8) {
        let at = payload_offset(max(T::ALIGN, E::ALIGN));
        match self {
            Ok(v) => {
                ptr.write(0);
                v.store(ptr.add(at));
            }
            Err(e) => {
                ptr.write(1);
                e.store(ptr.add(at));
            }
        }
    }
}
impl<T: Layout + Lift, E: Layout + Lift> Lift for Result<T, E> {
    unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
        let end = inp.pos() + <Self as Layout>::FLAT;
        let value = match inp.i32() {
            0 => Ok(T::lift_flat(inp)),
            1 => Err(E::lift_flat(inp)),
            d => invalid_discriminant("result", d as u32),
        };
        inp.skip_to(end);
        value
    }
    unsafe fn load(ptr: *const u8) -> Self {
        let at = payload_offset(max(T::ALIGN, E::ALIGN));
        match ptr.read() {
            0 => Ok(T::load(ptr.add(at))),
            1 => Err(E::load(ptr.add(at))),
            d => invalid_discriminant("result", d as u32),
        }
    }
}
impl<T: Layout, E: Layout> ListElement for Result<T, E> {}

// ------------------------------------------------------------------ tuples

macro_rules! tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Layout),+> Layout for ($($t,)+) {
            const ALIGN: usize = { let mut a = 1; $(a = max(a, $t::ALIGN);)+ a };
            const SIZE: usize = {
                let mut offset = 0;
                $(offset = align_to(offset, $t::ALIGN) + $t::SIZE;)+
                align_to(offset, <Self as Layout>::ALIGN)
            };
            const FLAT: usize = 0 $(+ $t::FLAT)+;
        }
        impl<$($t: Layout + Lower),+> Lower for ($($t,)+) {
            fn lower_flat(&self, out: &mut FlatOut) {
                $(self.$i.lower_flat(out);)+
            }
            #[allow(unused_assignments)]
            unsafe fn store(&self, ptr: *mut u8) {
                let mut offset = 0;
                $(
                    offset = align_to(offset, $t::ALIGN);
                    self.$i.store(ptr.add(offset));
                    offset += $t::SIZE;
                )+
            }
        }
        impl<$($t: Layout + Lift),+> Lift for ($($t,)+) {
            unsafe fn lift_flat(inp: &mut FlatIn) -> Self {
                ($($t::lift_flat(inp),)+)
            }
            #[allow(unused_assignments)]
            unsafe fn load(ptr: *const u8) -> Self {
                let mut offset = 0;
                ($({
                    offset = align_to(offset, $t::ALIGN);
                    let v = $t::load(ptr.add(offset));
                    offset += $t::SIZE;
                    v
                },)+)
            }
        }
        impl<$($t: Layout),+> ListElement for ($($t,)+) {}
    };
}

tuple!(A 0);
tuple!(A 0, B 1);
tuple!(A 0, B 1, C 2);
tuple!(A 0, B 1, C 2, D 3);
tuple!(A 0, B 1, C 2, D 3, E 4);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);
