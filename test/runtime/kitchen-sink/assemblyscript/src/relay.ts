// The kitchen-sink `relay` interface: every value goes through the host and back (test fixture).
import { Option, Result, Unit } from "../bindings/runtime";
import { Tuple2, Tuple4, Tuple13 } from "../bindings/tuples";
import { Color, Everything, Full, Medium, Point, Shape, Small } from "../bindings/plugin-actors/kitchen-sink/types";

import * as host from "../bindings/plugin-actors/kitchen-sink/host";
import { Tally } from "../bindings/plugin-actors/kitchen-sink/host";

export function ofBool(v: bool): bool {
  return host.ofBool(v);
}

export function ofS8(v: i8): i8 {
  return host.ofS8(v);
}

export function ofU8(v: u8): u8 {
  return host.ofU8(v);
}

export function ofS16(v: i16): i16 {
  return host.ofS16(v);
}

export function ofU16(v: u16): u16 {
  return host.ofU16(v);
}

export function ofS32(v: i32): i32 {
  return host.ofS32(v);
}

export function ofU32(v: u32): u32 {
  return host.ofU32(v);
}

export function ofS64(v: i64): i64 {
  return host.ofS64(v);
}

export function ofU64(v: u64): u64 {
  return host.ofU64(v);
}

export function ofF32(v: f32): f32 {
  return host.ofF32(v);
}

export function ofF64(v: f64): f64 {
  return host.ofF64(v);
}

export function ofChar(v: u32): u32 {
  return host.ofChar(v);
}

export function ofString(v: string): string {
  return host.ofString(v);
}

export function ofListU8(v: Uint8Array): Uint8Array {
  return host.ofListU8(v);
}

export function ofListS8(v: Int8Array): Int8Array {
  return host.ofListS8(v);
}

export function ofListU16(v: Uint16Array): Uint16Array {
  return host.ofListU16(v);
}

export function ofListS16(v: Int16Array): Int16Array {
  return host.ofListS16(v);
}

export function ofListU32(v: Uint32Array): Uint32Array {
  return host.ofListU32(v);
}

export function ofListS32(v: Int32Array): Int32Array {
  return host.ofListS32(v);
}

export function ofListU64(v: Uint64Array): Uint64Array {
  return host.ofListU64(v);
}

export function ofListS64(v: Int64Array): Int64Array {
  return host.ofListS64(v);
}

export function ofListF32(v: Float32Array): Float32Array {
  return host.ofListF32(v);
}

export function ofListF64(v: Float64Array): Float64Array {
  return host.ofListF64(v);
}

export function ofListBool(v: Array<bool>): Array<bool> {
  return host.ofListBool(v);
}

export function ofListChar(v: Array<u32>): Array<u32> {
  return host.ofListChar(v);
}

export function ofListString(v: Array<string>): Array<string> {
  return host.ofListString(v);
}

export function ofListPoint(v: Array<Point>): Array<Point> {
  return host.ofListPoint(v);
}

export function ofListListU32(v: Array<Uint32Array>): Array<Uint32Array> {
  return host.ofListListU32(v);
}

export function ofListOptionString(v: Array<Option<string>>): Array<Option<string>> {
  return host.ofListOptionString(v);
}

export function ofListShape(v: Array<Shape>): Array<Shape> {
  return host.ofListShape(v);
}

export function ofListTuple(v: Array<Tuple2<u8, string>>): Array<Tuple2<u8, string>> {
  return host.ofListTuple(v);
}

export function ofOptionU32(v: Option<u32>): Option<u32> {
  return host.ofOptionU32(v);
}

export function ofOptionString(v: Option<string>): Option<string> {
  return host.ofOptionString(v);
}

export function ofOptionOptionS16(v: Option<Option<i16>>): Option<Option<i16>> {
  return host.ofOptionOptionS16(v);
}

export function ofOptionPoint(v: Option<Point>): Option<Point> {
  return host.ofOptionPoint(v);
}

export function ofResultFull(v: Result<string, u32>): Result<string, u32> {
  return host.ofResultFull(v);
}

export function ofResultOk(v: Result<u64, Unit>): Result<u64, Unit> {
  return host.ofResultOk(v);
}

export function ofResultErr(v: Result<Unit, string>): Result<Unit, string> {
  return host.ofResultErr(v);
}

export function ofResultEmpty(v: Result<Unit, Unit>): Result<Unit, Unit> {
  return host.ofResultEmpty(v);
}

export function ofResultNested(v: Result<Result<u8, string>, Option<i32>>): Result<Result<u8, string>, Option<i32>> {
  return host.ofResultNested(v);
}

export function ofTuple(v: Tuple4<u8, string, f64, Option<bool>>): Tuple4<u8, string, f64, Option<bool>> {
  return host.ofTuple(v);
}

export function ofPoint(v: Point): Point {
  return host.ofPoint(v);
}

export function ofEverything(v: Everything): Everything {
  return host.ofEverything(v);
}

export function ofShape(v: Shape): Shape {
  return host.ofShape(v);
}

export function ofColor(v: Color): Color {
  return host.ofColor(v);
}

export function ofSmall(v: Small): Small {
  return host.ofSmall(v);
}

export function ofMedium(v: Medium): Medium {
  return host.ofMedium(v);
}

export function ofFull(v: Full): Full {
  return host.ofFull(v);
}

export function many(a: u32, b: u64, c: f32, d: f64, e: string, f: Point, g: Uint8Array, h: Option<u8>, i: i8, j: i16, k: u32, l: bool, m: Everything): Tuple13<u32, u64, f32, f64, string, Point, Uint8Array, Option<u8>, i8, i16, u32, bool, Everything> {
  return host.many(a, b, c, d, e, f, g, h, i, j, k, l, m);
}

export function tallySum(start: u32, values: Uint32Array): u32 {
  const tally = Tally.construct(start);
  for (let i = 0; i < values.length; i++) tally.add(values[i]);
  const copy = host.makeTally(host.readTally(tally));
  const total = copy.value();
  copy.drop();
  tally.drop();
  return total;
}
