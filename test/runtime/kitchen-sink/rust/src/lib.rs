//! The kitchen sink in Rust: `echo` returns every argument, `relay` passes every argument
//! through the host's `host` interface and returns what comes back, `blob` is a resource
//! the guest implements and `tally` one the host implements.

mod bindings;

use bindings::plugin_actors::kitchen_sink::echo::{self, Blob, BlobBorrow, GuestBlob};
use bindings::plugin_actors::kitchen_sink::host::{self, Tally};
use bindings::plugin_actors::kitchen_sink::relay;
use bindings::plugin_actors::kitchen_sink::types::{Color, Everything, Full, Medium, Point, Shape, Small};
use std::cell::RefCell;

struct KitchenSink;

type Many = (u32, u64, f32, f64, String, Point, Vec<u8>, Option<u8>, i8, i16, char, bool, Everything);

/// `fn of_x(v: T) -> T` for every echo function: `$body` turns `v` into the result.
macro_rules! each_type {
    ($body:ident) => {
        $body!(of_bool: bool, of_s8: i8, of_u8: u8, of_s16: i16, of_u16: u16, of_s32: i32, of_u32: u32,
            of_s64: i64, of_u64: u64, of_f32: f32, of_f64: f64, of_char: char, of_point: Point,
            of_everything: Everything, of_shape: Shape, of_color: Color, of_small: Small, of_medium: Medium,
            of_full: Full, of_option_u32: Option<u32>, of_option_string: Option<String>,
            of_option_option_s16: Option<Option<i16>>, of_option_point: Option<Point>,
            of_result_full: Result<String, u32>, of_result_ok: Result<u64, ()>, of_result_err: Result<(), String>,
            of_result_empty: Result<(), ()>, of_result_nested: Result<Result<u8, String>, Option<i32>>,
            of_tuple: (u8, String, f64, Option<bool>));
        $body!(by_ref of_string: String, of_list_u8: Vec<u8>, of_list_s8: Vec<i8>, of_list_u16: Vec<u16>,
            of_list_s16: Vec<i16>, of_list_u32: Vec<u32>, of_list_s32: Vec<i32>, of_list_u64: Vec<u64>,
            of_list_s64: Vec<i64>, of_list_f32: Vec<f32>, of_list_f64: Vec<f64>, of_list_bool: Vec<bool>,
            of_list_char: Vec<char>, of_list_string: Vec<String>, of_list_point: Vec<Point>,
            of_list_list_u32: Vec<Vec<u32>>, of_list_option_string: Vec<Option<String>>,
            of_list_shape: Vec<Shape>, of_list_tuple: Vec<(u8, String)>);
    };
}

macro_rules! identity {
    (by_ref $($name:ident: $t:ty),+) => { $(fn $name(v: $t) -> $t { v })+ };
    ($($name:ident: $t:ty),+) => { $(fn $name(v: $t) -> $t { v })+ };
}

impl echo::Guest for KitchenSink {
    type Blob = MyBlob;

    each_type!(identity);

    fn many(a: u32, b: u64, c: f32, d: f64, e: String, f: Point, g: Vec<u8>, h: Option<u8>, i: i8, j: i16, k: char, l: bool, m: Everything) -> Many {
        (a, b, c, d, e, f, g, h, i, j, k, l, m)
    }

    fn make_blob(init: Vec<u8>) -> Blob {
        Blob::new(MyBlob::new(init))
    }

    fn blob_size(b: BlobBorrow<'_>) -> u32 {
        b.get::<MyBlob>().size()
    }

    fn consume_blob(b: Blob) -> Vec<u8> {
        b.into_inner::<MyBlob>().bytes.into_inner()
    }

    fn pass_blob(b: Blob) -> Blob {
        b
    }

    fn absorb(target: BlobBorrow<'_>, source: Blob) -> u32 {
        let target = target.get::<MyBlob>();
        target.append(source.into_inner::<MyBlob>().bytes.into_inner());
        target.size()
    }
}

/// Relays by value (numbers, records, variants) or by reference (strings, lists).
macro_rules! relayed {
    (by_ref $($name:ident: $t:ty),+) => { $(fn $name(v: $t) -> $t { host::$name(&v) })+ };
    ($($name:ident: $t:ty),+) => { $(fn $name(v: $t) -> $t { host::$name(v) })+ };
}

impl relay::Guest for KitchenSink {
    each_type!(relayed);

    fn many(a: u32, b: u64, c: f32, d: f64, e: String, f: Point, g: Vec<u8>, h: Option<u8>, i: i8, j: i16, k: char, l: bool, m: Everything) -> Many {
        host::many(a, b, c, d, &e, f, &g, h, i, j, k, l, m)
    }

    fn tally_sum(start: u32, values: Vec<u32>) -> u32 {
        let tally = Tally::new(start);
        for v in values {
            tally.add(v);
        }
        let copy = host::make_tally(host::read_tally(&tally));
        copy.value()
    }
}

/// A byte buffer; `RefCell` because resource methods take `&self`.
pub struct MyBlob {
    bytes: RefCell<Vec<u8>>,
}

impl GuestBlob for MyBlob {
    fn new(init: Vec<u8>) -> Self {
        MyBlob { bytes: RefCell::new(init) }
    }

    fn data(&self) -> Vec<u8> {
        self.bytes.borrow().clone()
    }

    fn append(&self, more: Vec<u8>) {
        self.bytes.borrow_mut().extend_from_slice(&more);
    }

    fn size(&self) -> u32 {
        self.bytes.borrow().len() as u32
    }

    fn merge(a: BlobBorrow<'_>, b: BlobBorrow<'_>) -> Blob {
        let mut bytes = a.get::<MyBlob>().data();
        bytes.extend_from_slice(&b.get::<MyBlob>().bytes.borrow());
        Blob::new(MyBlob::new(bytes))
    }
}

bindings::export!(KitchenSink);
