//! The fast generator: xoshiro256++ seeded through SplitMix64 (the GA's
//! random numbers).
//!
//! Both generators are the published ones (S. Vigna, *An experimental
//! exploration of Marsaglia's xorshift generators, scrambled*, ACM TOMS 42(2),
//! 2016 for SplitMix64's use as a seeder; D. Blackman & S. Vigna, *Scrambled
//! linear pseudorandom number generators*, ACM TOMS 47(4), 2021 for
//! xoshiro256++), written out here so that a seed gives the same GA run on
//! every platform and for every future version of the `rand` crates.
//!
//! A generation's answer is a pure function of `(request, seed, generation)`:
//! [`FastRng::stream`] starts independent streams from the seed, the
//! generation and a stream index ([`super::seed::stream`]), so that child
//! pair `i` always uses the same stream whoever computes it.

use super::seed::{self, mix64, Stream, GOLDEN};

/// A seeded xoshiro256++ generator with the few draws the GA needs.
#[derive(Debug, Clone)]
pub struct FastRng {
    s: [u64; 4],
}

impl FastRng {
    /// A generator whose 256-bit state is filled by SplitMix64 from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(GOLDEN);
            mix64(x)
        };
        let s = [next(), next(), next(), next()];
        // SplitMix64 is a bijection of a counter, so four consecutive outputs are
        // never all zero; keep the guard anyway: the all-zero state is a fixed point.
        let s = if s == [0; 4] { [GOLDEN, 1, 2, 3] } else { s };
        Self { s }
    }

    /// Stream `index` of kind `kind` under a generation key
    /// ([`seed::generation_key`]).
    pub fn stream(key: u64, kind: Stream, index: u64) -> Self {
        Self::new(seed::stream(key, kind, index))
    }

    /// The next 64 random bits (xoshiro256++).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform number in [0, 1) with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (never for `p <= 0`, always for `p >= 1`).
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        p >= 1.0 || self.uniform() < p
    }

    /// A uniform integer in `0..n` (Lemire's multiply-and-reject, unbiased); 0 when `n` is 0.
    #[inline]
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        if n <= 1 {
            return 0;
        }
        let mut m = (self.next_u64() as u128) * (n as u128);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = (self.next_u64() as u128) * (n as u128);
            }
        }
        (m >> 64) as usize
    }

    /// A standard normal deviate (Box–Muller; one of the pair is used).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]: ln is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_matches_the_reference_sequence() {
        // Reference: state {1, 2, 3, 4} gives 41943041, 58720359, 3588806011781223,
        // 3591011842654386 (xoshiro256plusplus.c by Blackman & Vigna).
        let mut r = FastRng { s: [1, 2, 3, 4] };
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()],
            [41943041, 58720359, 3588806011781223, 3591011842654386]
        );
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = FastRng::new(7);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[r.below(7)] += 1;
        }
        for c in counts {
            assert!((9_300..10_700).contains(&c), "{counts:?}");
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut r = FastRng::new(3);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.01,
            "{mean} {var}"
        );
    }
}
