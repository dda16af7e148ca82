// The benchmark world as a subprocess plugin (Node guest SDK).
import { serve } from 'plugin-actors/guest';

class Counter {
  constructor(private value: number) {}
  increment(by: number): number {
    this.value = (this.value + by) >>> 0;
    return this.value;
  }
}

await serve({
  wit: new URL('../../../../bench/plugins/wit', import.meta.url),
  exports: {
    'bench:calls/api': {
      greet: (name: string) => `Hello, ${name}!`,
      sum(values: Uint32Array): bigint {
        let total = 0;
        for (const v of values) total += v;
        return BigInt(total);
      },
      work(rounds: number): number {
        let x = 2166136261;
        for (let i = 0; i < rounds; i++) x = Math.imul(x ^ i, 16777619) >>> 0;
        return x;
      },
      Counter,
    },
  },
});
