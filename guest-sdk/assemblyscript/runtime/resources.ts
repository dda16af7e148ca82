// Resources this plugin exports live in a table: the host refers to an object by its `rep`
// (index + 1). The table keeps objects alive while the host holds them.

export class ResourceTable<T> {
  private readonly items: Array<T | null> = new Array<T | null>();
  /** An owned handle the guest holds for the entry (0 if none), so it can be given back. */
  private readonly handles: Array<i32> = new Array<i32>();
  private readonly free: Array<i32> = new Array<i32>();
  /** Object address → rep, so handing the same object out again finds its entry in O(1). */
  private readonly reps: Map<usize, i32> = new Map<usize, i32>();

  /** Stores an object; returns its rep. */
  add(value: T): i32 {
    if (this.free.length > 0) {
      const index = this.free.pop();
      unchecked((this.items[index] = value));
      unchecked((this.handles[index] = 0));
      this.reps.set(changetype<usize>(value), index + 1);
      return index + 1;
    }
    this.items.push(value);
    this.handles.push(0);
    this.reps.set(changetype<usize>(value), this.items.length);
    return this.items.length;
  }

  get(rep: i32): T {
    const index = rep - 1;
    if (index < 0 || index >= this.items.length) throw new Error("invalid resource rep");
    const value = unchecked(this.items[index]);
    if (value === null) throw new Error("resource already dropped");
    return value;
  }

  /** The rep of an object already in the table, or 0. */
  find(value: T): i32 {
    const key = changetype<usize>(value);
    return this.reps.has(key) ? this.reps.get(key) : 0;
  }

  handle(rep: i32): i32 {
    return unchecked(this.handles[rep - 1]);
  }

  setHandle(rep: i32, handle: i32): void {
    unchecked((this.handles[rep - 1] = handle));
  }

  /** Called by the destructor: forgets the object. */
  remove(rep: i32): void {
    const index = rep - 1;
    if (index < 0 || index >= this.items.length) return;
    const value = unchecked(this.items[index]);
    if (value === null) return;
    this.reps.delete(changetype<usize>(value));
    unchecked((this.items[index] = null));
    unchecked((this.handles[index] = 0));
    this.free.push(index);
  }

  get size(): i32 {
    return this.items.length - this.free.length;
  }
}
