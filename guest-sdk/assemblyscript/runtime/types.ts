// Generic WIT types for AssemblyScript: option, result and the empty payload `Unit`.

/** The payload of a `result` case without a type. */
export type Unit = u8;

// @ts-ignore: decorator
@inline
export function defaultValue<T>(): T {
  if (isReference<T>()) return changetype<T>(0);
  // @ts-ignore: a numeric T
  return <T>0;
}

/** WIT `option<T>`. */
export class Option<T> {
  constructor(public readonly isSome: bool, private readonly _value: T) {}

  static some<T>(value: T): Option<T> {
    return new Option<T>(true, value);
  }

  static none<T>(): Option<T> {
    return new Option<T>(false, defaultValue<T>());
  }

  get isNone(): bool {
    return !this.isSome;
  }

  /** The value; aborts on `none`. */
  get value(): T {
    if (!this.isSome) throw new Error("Option.value on none");
    return this._value;
  }

  /** The value, or `fallback` on `none`. */
  unwrapOr(fallback: T): T {
    return this.isSome ? this._value : fallback;
  }
}

/** WIT `result<T, E>`; missing types are `Unit`. */
export class Result<T, E> {
  constructor(public readonly isOk: bool, private readonly _value: T, private readonly _error: E) {}

  static ok<T, E>(value: T): Result<T, E> {
    return new Result<T, E>(true, value, defaultValue<E>());
  }

  static err<T, E>(error: E): Result<T, E> {
    return new Result<T, E>(false, defaultValue<T>(), error);
  }

  get isErr(): bool {
    return !this.isOk;
  }

  /** The ok value; aborts on `err`. */
  get value(): T {
    if (!this.isOk) throw new Error("Result.value on err");
    return this._value;
  }

  /** The err value; aborts on `ok`. */
  get error(): E {
    if (this.isOk) throw new Error("Result.error on ok");
    return this._error;
  }
}
