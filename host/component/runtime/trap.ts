/** The trap of the Canonical ABI: guest memory or handles broke a rule. Any trap poisons its instance. */
/** Thrown when guest memory or handles break an ABI rule; poisons the instance. */
export class Trap extends Error {
  constructor(message: string) {
    super(message);
  }
}
Object.defineProperty(Trap.prototype, 'name', { value: 'Trap', enumerable: false });

export function trap(message: string): never {
  throw new Trap(message);
}
