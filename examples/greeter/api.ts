// The TypeScript view of `example:greeter/api` (examples/greeter/wit/greeter.wit), as the
// host sees it through `node.exports<GreeterApi>('example:greeter/api')`.
import type { ResourceActor } from 'plugin-actors';

export interface Counter extends ResourceActor {
  increment(by: number): number;
  get(): number;
}

export type Delivery = { tag: 'plain' } | { tag: 'repeat'; val: number } | { tag: 'wrapped'; val: [string, string] };

export interface Stats {
  calls: number;
  characters: bigint;
}

export interface GreeterApi {
  greet(name: string): string;
  greetWith(name: string, delivery: Delivery): string;
  sum(values: Uint32Array | number[]): bigint;
  getStats(): Stats;
  words(line: string): string[];
  Counter: { create(start: number): Counter };
}
