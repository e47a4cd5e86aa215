//! Seeds: SplitMix64's mixer, and the one way independent streams are
//! derived from a seed and indices.
//!
//! A stream is keyed, never drawn in sequence from a shared generator: a
//! GA generation's streams are [`stream`]`(`[`generation_key`]`(seed,
//! generation), kind, index)`, so child pair `i` (or initial point `i`, …)
//! always gets the same numbers whoever computes it and in whatever order;
//! a Sobol block's scramble seed is [`block_seed`]`(seed, index block,
//! dimension block)`.

/// 2^64 / φ, SplitMix64's increment.
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function, a bijective 64-bit mixer (Steele, Lea &
/// Flood 2014; constants of Stafford's "Mix13").
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One SplitMix64 step from state `z`: the mix of `z + GOLDEN`.
#[inline]
pub fn splitmix64(z: u64) -> u64 {
    mix64(z.wrapping_add(GOLDEN))
}

/// What a stream of a GA generation is used for (tags keep the uses apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Point `i` of a uniform initial population.
    InitPoint = 1,
    /// Dimension `i` of a Latin hypercube (its permutation and jitter).
    LatinDim = 2,
    /// The scramble of a Sobol initial population.
    Sobol = 3,
    /// Child pair `i`: parent selection, crossover and mutation.
    Pair = 4,
    /// Shuffle `i` of the population, for tournaments without replacement.
    Tournament = 5,
}

/// The root key of generation `generation` of the run seeded with `seed`.
pub fn generation_key(seed: u64, generation: u64) -> u64 {
    mix64(mix64(seed ^ 0x5EED_0F6A_u64.rotate_left(32)) ^ mix64(generation.wrapping_add(GOLDEN)))
}

/// The seed of stream `index` of kind `kind` under a generation key.
pub fn stream(key: u64, kind: Stream, index: u64) -> u64 {
    mix64(key ^ mix64((kind as u64).wrapping_mul(GOLDEN) ^ index.rotate_left(17)))
}

/// The 32-bit Owen-scramble seed of one block of a Sobol sequence seeded
/// with `seed`: points `index_block · 2^16 ..` in dimensions
/// `dim_block · 256 ..` (`sobol_burley`'s table size).
pub fn block_seed(seed: u64, index_block: u64, dim_block: u64) -> u32 {
    let s = splitmix64(seed ^ splitmix64(index_block.wrapping_mul(0x100_0193) ^ (dim_block << 40)));
    (s ^ (s >> 32)) as u32
}

/// The seed of the Gaussian process's random restart points (MT19937-64).
pub const GP_RESTARTS: u64 = 0x6a09_e667_f3bc_c908;

/// The seed of the acquisition's local candidates around the best points
/// (MT19937-64).
pub const LOCAL_CANDIDATES: u64 = 0x3c6e_f372_fe94_f82b;

/// The seed of the ranking-loss samples behind the transfer weights
/// (MT19937-64; `crate::transfer`).
pub const TRANSFER_WEIGHTS: u64 = 0xa54f_f53a_5f1d_36f1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // SplitMix64 from seed 1234567: 6457827717110365317, 3203168211198807973.
        let mut x: u64 = 1234567;
        let mut next = || {
            x = x.wrapping_add(GOLDEN);
            mix64(x)
        };
        assert_eq!([next(), next()], [6457827717110365317, 3203168211198807973]);
        assert_eq!(splitmix64(1234567), 6457827717110365317);
    }

    #[test]
    fn streams_are_keyed_apart() {
        let key = generation_key(1, 0);
        assert_ne!(key, generation_key(1, 1));
        assert_ne!(key, generation_key(2, 0));
        assert_ne!(stream(key, Stream::Pair, 0), stream(key, Stream::Pair, 1));
        assert_ne!(
            stream(key, Stream::Pair, 0),
            stream(key, Stream::Tournament, 0)
        );
        assert_ne!(block_seed(1, 0, 0), block_seed(1, 1, 0));
        assert_ne!(block_seed(1, 0, 0), block_seed(1, 0, 1));
        assert_ne!(block_seed(1, 0, 0), block_seed(2, 0, 0));
    }
}
