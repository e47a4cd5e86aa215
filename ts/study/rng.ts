/**
 * A small seeded generator (xoshiro128**, Blackman & Vigna) for the
 * independent draws of the study samplers. Streams are keyed by the sampler's
 * seed, the trial number and the parameter name, so a draw does not depend on
 * which worker makes it or in which order parameters are suggested.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(key: number) {
    // splitmix32 steps spread the key over the state
    const x = key >>> 0;
    this.s0 = mix((x + 0x9e3779b9) >>> 0);
    this.s1 = mix((x + 2 * 0x9e3779b9) >>> 0);
    this.s2 = mix((x + 3 * 0x9e3779b9) >>> 0);
    this.s3 = mix((x + 4 * 0x9e3779b9) >>> 0) | 1;
  }

  private nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

/** splitmix32's output function. */
function mix(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a over the parts (numbers as decimal text), for stream keys. */
export function streamKey(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = typeof p === 'string' ? p : String(p);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    // the separator, a NUL character (xor with 0 leaves h as it is)
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
