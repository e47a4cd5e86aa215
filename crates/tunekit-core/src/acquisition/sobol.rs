//! Owen-scrambled Sobol points (Burley, *Practical Hash-based Owen Scrambling*,
//! JCGT 9(4), 2020, via the `sobol_burley` crate), seeded from a `u64`.
//!
//! `sobol_burley` gives 2^16 points in up to 256 dimensions per seed; beyond
//! either limit we continue with a derived seed (a fresh, independent
//! scrambling), which keeps every index and dimension valid.

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Coordinate `dim` of point `index` of the sequence scrambled with `seed`, in [0, 1).
pub(crate) fn sobol(index: u64, dim: usize, seed: u64) -> f64 {
    let block = index >> 16;
    let dim_block = (dim / 256) as u64;
    let s = splitmix64(seed ^ splitmix64(block.wrapping_mul(0x100_0193) ^ (dim_block << 40)));
    let s32 = (s ^ (s >> 32)) as u32;
    f64::from(sobol_burley::sample(
        (index & 0xffff) as u32,
        (dim % 256) as u32,
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
