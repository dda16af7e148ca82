/**
 * What an incoming call's promise resolves to when the served value must reach the wire
 * as it is. A Promise adopts any thenable it is resolved with, so a resource object with
 * a method named `then`, returned after a wait, would never settle the call; boxed, it is
 * sent like any other value.
 */
export class ServedValue {
  constructor(readonly value: unknown) {}
}
