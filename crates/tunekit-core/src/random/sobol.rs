//! Owen-scrambled Sobol points (Burley, *Practical Hash-based Owen Scrambling*,
//! JCGT 9(4), 2020, via the `sobol_burley` crate), seeded from a `u64`: the
//! one scrambler of the crate.
//!
//! `sobol_burley` gives 2^16 points in up to 256 dimensions per seed; beyond
//! either limit we continue with a derived seed (a fresh, independent
//! scrambling, [`block_seed`]), which keeps every index and dimension valid.

use super::seed::block_seed;

/// Points per scramble seed (`sobol_burley`'s index range).
const BLOCK_POINTS: u64 = 1 << 16;

/// Coordinate `dim` of point `index` of the sequence scrambled with `seed`, in [0, 1).
pub fn sobol(index: u64, dim: usize, seed: u64) -> f64 {
    let dims = sobol_burley::NUM_DIMENSIONS as usize;
    let s32 = block_seed(seed, index / BLOCK_POINTS, (dim / dims) as u64);
    f64::from(sobol_burley::sample(
        (index % BLOCK_POINTS) as u32,
        (dim % dims) as u32,
        s32,
    ))
}

/// Point `index` (all `d` coordinates), in [0, 1)^d.
pub fn sobol_point(index: u64, d: usize, seed: u64) -> Vec<f64> {
    (0..d).map(|k| sobol(index, k, seed)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_and_seeded() {
        // 256 points: each of 16 strata of every dimension holds exactly 16 points.
        for k in [0usize, 5, 300] {
            let mut counts = [0; 16];
            for i in 0..256 {
                let u = sobol(i, k, 42);
                assert!((0.0..1.0).contains(&u));
                counts[(u * 16.0) as usize] += 1;
            }
            assert!(counts.iter().all(|&c| c == 16), "dim {k}: {counts:?}");
        }
        assert_ne!(sobol_point(3, 4, 1), sobol_point(3, 4, 2));
        assert_eq!(sobol_point(3, 4, 1), sobol_point(3, 4, 1));
        assert!((0.0..1.0).contains(&sobol(70_000, 2, 9)));
    }
}
