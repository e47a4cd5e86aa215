//! numpy's legacy `np.random.RandomState(seed)` on MT19937, draw for draw.
//!
//! scikit-learn turns every integer `random_state` into a legacy
//! `RandomState`, so reproducing its splits and samplers for a given seed
//! means reproducing this generator exactly, including how each method
//! consumes the 32-bit MT19937 stream:
//!
//! - seeding: `RandomState(seed)` with an integer seed runs Matsumoto &
//!   Nishimura's `init_genrand(seed)` (the reference MT19937 initialisation),
//!   which is what [`rand_mt::Mt::new`] does;
//! - [`random_sample`](NumpyRandomState::random_sample): two 32-bit words
//!   `a`, `b` give `((a >> 5) * 2^26 + (b >> 6)) / 2^53`, a double with 53
//!   random bits;
//! - [`random_interval`](NumpyRandomState::random_interval) (used by
//!   `shuffle`/`permutation`) and the legacy bounded integers behind
//!   [`randint`](NumpyRandomState::randint): masked rejection sampling. With
//!   `mask` the smallest all-ones bit pattern covering `max`, draw
//!   `v = word & mask` until `v <= max`; the word is one 32-bit output when
//!   `max < 2^32`, otherwise a 64-bit value made of two outputs (first one in
//!   the high half);
//! - [`shuffle`](NumpyRandomState::shuffle): Fisher–Yates from the end,
//!   `for i in (1..n).rev() { swap(i, random_interval(i)) }`.

use rand_mt::Mt;

/// The seed used wherever a caller gives none: tunekit is reproducible by
/// default, so "no seed" means `RandomState(0)`, never fresh entropy.
pub const DEFAULT_SEED: u32 = 0;

/// numpy's legacy `RandomState` with an integer seed.
#[derive(Clone)]
pub struct NumpyRandomState {
    mt: Mt,
}

impl std::fmt::Debug for NumpyRandomState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumpyRandomState").finish_non_exhaustive()
    }
}

impl NumpyRandomState {
    /// `np.random.RandomState(seed)`.
    pub fn new(seed: u32) -> Self {
        Self { mt: Mt::new(seed) }
    }

    /// `RandomState(seed)` for `Some(seed)`, `RandomState(DEFAULT_SEED)` otherwise.
    pub fn from_seed(seed: Option<u32>) -> Self {
        Self::new(seed.unwrap_or(DEFAULT_SEED))
    }

    /// The next tempered 32-bit MT19937 output (numpy's `next_uint32`).
    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        self.mt.next_u32()
    }

    /// Two 32-bit outputs, the first in the high half (numpy's `next_uint64`).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        let lo = u64::from(self.next_u32());
        (hi << 32) | lo
    }

    /// `random_sample()`: a double in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn random_sample(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `uniform(low, high)` = `low + (high - low) * random_sample()`.
    #[inline]
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let range = high - low;
        low + range * self.random_sample()
    }

    /// An integer in `0..=max` by masked rejection sampling (numpy's
    /// `random_interval`, also its legacy masked bounded-integer draw).
    /// `max == 0` returns 0 without consuming the stream.
    pub fn random_interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = mask_covering(max);
        if max <= u64::from(u32::MAX) {
            // `mask < 2^32` here, so the cast keeps every bit of it.
            let mask32 = mask as u32;
            loop {
                let v = u64::from(self.next_u32() & mask32);
                if v <= max {
                    return v;
                }
            }
        } else {
            loop {
                let v = self.next_u64() & mask;
                if v <= max {
                    return v;
                }
            }
        }
    }

    /// Legacy `randint(high)` (default `int64` dtype): an integer in
    /// `0..high`, i.e. `random_interval(high - 1)`. A range of a single value
    /// (`high == 1`) draws nothing; `high == 0`, which numpy rejects, is
    /// treated like `high == 1` and returns 0.
    #[inline]
    pub fn randint(&mut self, high: u64) -> u64 {
        self.random_interval(high.saturating_sub(1))
    }

    /// Legacy `randint(low, high)` (default `int64` dtype): an integer in
    /// `low..high` as `low + random_interval(high - 1 - low)`, the offset
    /// added with wrap-around as numpy does on unsigned words. `None` when
    /// `low >= high` (numpy raises `ValueError`).
    pub fn randint_between(&mut self, low: i64, high: i64) -> Option<i64> {
        if low >= high {
            return None;
        }
        // high - 1 - low fits in u64 for any low < high.
        let range = (high as u64).wrapping_sub(1).wrapping_sub(low as u64);
        let v = self.random_interval(range);
        Some(low.wrapping_add(v as i64))
    }

    /// In-place `shuffle(x)` of a 1-d array: Fisher–Yates from the end.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.random_interval(i as u64) as usize;
            x.swap(i, j);
        }
    }

    /// `permutation(n)`: `arange(n)` shuffled.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        v
    }
}

/// The smallest `2^k - 1` that is `>= max`.
#[inline]
fn mask_covering(max: u64) -> u64 {
    if max == 0 {
        0
    } else {
        u64::MAX >> max.leading_zeros()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mask_is_smallest_covering_all_ones() {
        assert_eq!(mask_covering(1), 1);
        assert_eq!(mask_covering(2), 3);
        assert_eq!(mask_covering(3), 3);
        assert_eq!(mask_covering(4), 7);
        assert_eq!(mask_covering(u64::from(u32::MAX)), u64::from(u32::MAX));
        assert_eq!(mask_covering(1 << 32), (1 << 33) - 1);
        assert_eq!(mask_covering(u64::MAX), u64::MAX);
    }

    #[test]
    fn reference_init_genrand_outputs() {
        // First outputs of mt19937ar.c's init_genrand(5489) (the reference
        // default seed): 3499211612, 581869302, 3890346734.
        let mut rs = NumpyRandomState::new(5489);
        assert_eq!(rs.next_u32(), 3_499_211_612);
        assert_eq!(rs.next_u32(), 581_869_302);
        assert_eq!(rs.next_u32(), 3_890_346_734);
    }

    #[test]
    fn empty_ranges_draw_nothing() {
        let mut a = NumpyRandomState::new(7);
        let mut b = NumpyRandomState::new(7);
        assert_eq!(a.randint(1), 0);
        assert_eq!(a.randint(0), 0);
        assert_eq!(a.random_interval(0), 0);
        assert_eq!(a.randint_between(-3, -2), Some(-3));
        assert_eq!(a.randint_between(5, 5), None);
        a.shuffle(&mut [1]);
        assert_eq!(a.next_u32(), b.next_u32());
    }

    #[test]
    fn randint_between_spans_negative_and_full_ranges() {
        let mut rs = NumpyRandomState::new(1);
        for _ in 0..1000 {
            let v = rs.randint_between(-5, 3);
            assert!(matches!(v, Some(x) if (-5..3).contains(&x)));
        }
        assert!(rs.randint_between(i64::MIN, i64::MAX).is_some());
    }
}
