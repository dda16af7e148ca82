// The kitchen-sink `echo` interface: every function returns its argument (test fixture).
import { Option, Result, Unit } from "../bindings/runtime";
import { Tuple2, Tuple4, Tuple13 } from "../bindings/tuples";
import { Color, Everything, Full, Medium, Point, Shape, Small } from "../bindings/plugin-actors/kitchen-sink/types";

export function ofBool(v: bool): bool {
  return v;
}

export function ofS8(v: i8): i8 {
  return v;
}

export function ofU8(v: u8): u8 {
  return v;
}

export function ofS16(v: i16): i16 {
  return v;
}

export function ofU16(v: u16): u16 {
  return v;
}

export function ofS32(v: i32): i32 {
  return v;
}

export function ofU32(v: u32): u32 {
  return v;
}

export function ofS64(v: i64): i64 {
  return v;
}

export function ofU64(v: u64): u64 {
  return v;
}

export function ofF32(v: f32): f32 {
  return v;
}

export function ofF64(v: f64): f64 {
  return v;
}

export function ofChar(v: u32): u32 {
  return v;
}

export function ofString(v: string): string {
  return v;
}

export function ofListU8(v: Uint8Array): Uint8Array {
  return v;
}

export function ofListS8(v: Int8Array): Int8Array {
  return v;
}

export function ofListU16(v: Uint16Array): Uint16Array {
  return v;
}

export function ofListS16(v: Int16Array): Int16Array {
  return v;
}

export function ofListU32(v: Uint32Array): Uint32Array {
  return v;
}

export function ofListS32(v: Int32Array): Int32Array {
  return v;
}

export function ofListU64(v: Uint64Array): Uint64Array {
  return v;
}

export function ofListS64(v: Int64Array): Int64Array {
  return v;
}

export function ofListF32(v: Float32Array): Float32Array {
  return v;
}

export function ofListF64(v: Float64Array): Float64Array {
  return v;
}

export function ofListBool(v: Array<bool>): Array<bool> {
  return v;
}

export function ofListChar(v: Array<u32>): Array<u32> {
  return v;
}

export function ofListString(v: Array<string>): Array<string> {
  return v;
}

export function ofListPoint(v: Array<Point>): Array<Point> {
  return v;
}

export function ofListListU32(v: Array<Uint32Array>): Array<Uint32Array> {
  return v;
}

export function ofListOptionString(v: Array<Option<string>>): Array<Option<string>> {
  return v;
}

export function ofListShape(v: Array<Shape>): Array<Shape> {
  return v;
}

export function ofListTuple(v: Array<Tuple2<u8, string>>): Array<Tuple2<u8, string>> {
  return v;
}

export function ofOptionU32(v: Option<u32>): Option<u32> {
  return v;
}

export function ofOptionString(v: Option<string>): Option<string> {
  return v;
}

export function ofOptionOptionS16(v: Option<Option<i16>>): Option<Option<i16>> {
  return v;
}

export function ofOptionPoint(v: Option<Point>): Option<Point> {
  return v;
}

export function ofResultFull(v: Result<string, u32>): Result<string, u32> {
  return v;
}

export function ofResultOk(v: Result<u64, Unit>): Result<u64, Unit> {
  return v;
}

export function ofResultErr(v: Result<Unit, string>): Result<Unit, string> {
  return v;
}

export function ofResultEmpty(v: Result<Unit, Unit>): Result<Unit, Unit> {
  return v;
}

export function ofResultNested(v: Result<Result<u8, string>, Option<i32>>): Result<Result<u8, string>, Option<i32>> {
  return v;
}

export function ofTuple(v: Tuple4<u8, string, f64, Option<bool>>): Tuple4<u8, string, f64, Option<bool>> {
  return v;
}

export function ofPoint(v: Point): Point {
  return v;
}

export function ofEverything(v: Everything): Everything {
  return v;
}

export function ofShape(v: Shape): Shape {
  return v;
}

export function ofColor(v: Color): Color {
  return v;
}

export function ofSmall(v: Small): Small {
  return v;
}

export function ofMedium(v: Medium): Medium {
  return v;
}

export function ofFull(v: Full): Full {
  return v;
}

export function many(a: u32, b: u64, c: f32, d: f64, e: string, f: Point, g: Uint8Array, h: Option<u8>, i: i8, j: i16, k: u32, l: bool, m: Everything): Tuple13<u32, u64, f32, f64, string, Point, Uint8Array, Option<u8>, i8, i16, u32, bool, Everything> {
  return new Tuple13<u32, u64, f32, f64, string, Point, Uint8Array, Option<u8>, i8, i16, u32, bool, Everything>(a, b, c, d, e, f, g, h, i, j, k, l, m);
}

/** A growable byte buffer the host holds as a resource actor. */
export class Blob {
  private bytes: Uint8Array;

  constructor(init: Uint8Array) {
    this.bytes = init;
  }

  data(): Uint8Array {
    return this.bytes;
  }

  append(more: Uint8Array): void {
    const next = new Uint8Array(this.bytes.length + more.length);
    next.set(this.bytes, 0);
    next.set(more, this.bytes.length);
    this.bytes = next;
  }

  size(): u32 {
    return <u32>this.bytes.length;
  }

  static merge(a: Blob, b: Blob): Blob {
    const merged = new Blob(a.data());
    merged.append(b.data());
    return merged;
  }
}

export function makeBlob(init: Uint8Array): Blob {
  return new Blob(init);
}

export function blobSize(b: Blob): u32 {
  return b.size();
}

export function consumeBlob(b: Blob): Uint8Array {
  return b.data();
}

export function passBlob(b: Blob): Blob {
  return b;
}

export function absorb(target: Blob, source: Blob): u32 {
  target.append(source.data());
  return target.size();
}
