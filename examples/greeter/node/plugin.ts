// The greeter as a subprocess plugin, written with plugin-actors' Node guest SDK.
// Same world, same behaviour as the AssemblyScript guest in ../assemblyscript.
import { serve, ResultError } from 'plugin-actors/guest';

type Delivery = { tag: 'plain' } | { tag: 'repeat'; val: number } | { tag: 'wrapped'; val: [string, string] };

let calls = 0;
let characters = 0n;

function count(text: string): string {
  calls++;
  characters += BigInt(text.length);
  return text;
}

class Counter {
  private value: number;

  constructor(start: number) {
    this.value = start;
  }

  increment(by: number): number {
    this.value = (this.value + by) >>> 0;
    return this.value;
  }

  get(): number {
    return this.value;
  }
}

const plugin = await serve({
  wit: new URL('../wit', import.meta.url),
  world: 'example:greeter/greeter',
  exports: {
    'example:greeter/api': {
      greet(name: string): string {
        void plugin.imports['plugin-actors:host/log']!.log!('debug', `greeting ${name}`);
        return count(`Hello, ${name}!`);
      },
      greetWith(name: string, delivery: Delivery): string {
        const plain = `Hello, ${name}!`;
        if (delivery.tag === 'repeat') return count(Array.from({ length: delivery.val }, () => plain).join(' '));
        if (delivery.tag === 'wrapped') return count(delivery.val[0] + plain + delivery.val[1]);
        return count(plain);
      },
      sum(values: Uint32Array): bigint {
        calls++;
        let total = 0n;
        for (const v of values) total += BigInt(v);
        return total;
      },
      getStats() {
        return { calls, characters };
      },
      words(line: string): string[] {
        calls++;
        if (line.length === 0) throw new ResultError('the line is empty');
        return line.split(' ').filter((w) => w.length > 0);
      },
      Counter,
    },
  },
});

// Stray prints are harmless: the protocol has its own channel and the host logs stdout.
console.log('greeter (node) ready');
