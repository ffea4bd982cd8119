/**
 * The seed's source of randomness: pure-rand's xoroshiro128+ behind a few helpers. The same seed gives the
 * same sequence on every machine and Node version, so the same seed gives byte-identical records.
 */
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';

const TWO_32 = 4_294_967_296;

/** A table of values and their weights, compiled once for quick drawing. */
export interface Weights<T> {
  readonly values: readonly T[];
  /** Running totals of the weights. */
  readonly cumulative: Float64Array;
  readonly total: number;
}

/** Compiles `[value, weight]` pairs (weights need not add up to 1). */
export function weights<T>(pairs: ReadonlyArray<readonly [T, number]>): Weights<T> {
  const values = pairs.filter(([, w]) => w > 0).map(([v]) => v);
  const cumulative = new Float64Array(values.length);
  let total = 0;
  pairs.filter(([, w]) => w > 0).forEach(([, w], i) => { total += w; cumulative[i] = total; });
  if (values.length === 0) throw new RangeError('a weight table needs at least one positive weight');
  return { values, cumulative, total };
}

/** A seeded random source. Mutable (it advances), but deterministic: no clock, no Math.random. */
export class Rng {
  readonly #gen: RandomGenerator;

  constructor(seed: number) {
    this.#gen = xoroshiro128plus(seed | 0);
    // xoroshiro's first outputs from a small seed are poorly mixed: let it run a little first.
    for (let i = 0; i < 20; i++) this.#gen.unsafeNext();
  }

  /** A float in [0, 1). */
  float(): number {
    return (this.#gen.unsafeNext() >>> 0) / TWO_32;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element, each equally likely. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.float() * list.length)]!;
  }

  /** One value of a weight table. */
  weighted<T>(w: Weights<T>): T {
    const x = this.float() * w.total;
    const c = w.cumulative;
    let i = 0;
    while (i < c.length - 1 && c[i]! <= x) i++;
    return w.values[i]!;
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) never happens
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** A log-normal value with the given median and spread (sigma of the underlying normal), clamped to ±3 sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * Math.max(-3, Math.min(3, this.normal())));
  }
}
