//! MT19937-64 (Matsumoto & Nishimura 2000, through `rand_mt::Mt64`): the
//! Gaussian process's random restart points and the acquisition's local
//! candidates draw from it (seeded with [`seed::GP_RESTARTS`] and
//! [`seed::LOCAL_CANDIDATES`] mixed into the caller's seed).
//!
//! [`seed::GP_RESTARTS`]: super::seed::GP_RESTARTS
//! [`seed::LOCAL_CANDIDATES`]: super::seed::LOCAL_CANDIDATES

use rand_mt::Mt64;

/// A seeded MT19937-64 with the draws its users need.
#[derive(Clone)]
pub struct Mt64Rng(Mt64);

impl std::fmt::Debug for Mt64Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mt64Rng").finish_non_exhaustive()
    }
}

impl Mt64Rng {
    /// The generator of use `tag` (a constant of [`super::seed`]) for `seed`.
    pub fn new(seed: u64, tag: u64) -> Self {
        Self(Mt64::new(seed ^ tag))
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform number in [0, 1) with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal deviate (Box–Muller, the first of the pair; the
    /// first uniform is taken in (0, 1) so its log is finite).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        let u1 = ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let u2 = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}
