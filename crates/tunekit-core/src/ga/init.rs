//! The initial population: uniform, Latin hypercube or Sobol points in the
//! encoded unit cube, decoded with [`Space::from_unit`] (log scales in log
//! space, integer levels of equal width, categories by equal slices).

use crate::space::Space;

use super::error::GaError;
use super::params::Init;
use crate::random::seed::{self, Stream};
use crate::random::{sobol_point, FastRng};

/// `n` points of `space` in value form, from one generation key.
pub(crate) fn init_points(space: &Space, init: Init, n: usize, key: u64) -> Vec<Vec<f64>> {
    let d = space.len();
    let mut unit = vec![0.0; d];
    match init {
        Init::Uniform => (0..n)
            .map(|i| {
                let mut rng = FastRng::stream(key, Stream::InitPoint, i as u64);
                unit.iter_mut().for_each(|u| *u = rng.uniform());
                space.from_unit(&unit)
            })
            .collect(),
        Init::LatinHypercube => {
            // column j: a random permutation of the n strata, jittered inside each
            let mut rows = vec![vec![0.0; d]; n];
            let mut perm: Vec<usize> = Vec::with_capacity(n);
            for j in 0..d {
                let mut rng = FastRng::stream(key, Stream::LatinDim, j as u64);
                perm.clear();
                perm.extend(0..n);
                for i in (1..n).rev() {
                    perm.swap(i, rng.below(i + 1));
                }
                for (row, &s) in rows.iter_mut().zip(&perm) {
                    row[j] = (s as f64 + rng.uniform()) / n as f64;
                }
            }
            rows.iter().map(|row| space.from_unit(row)).collect()
        }
        Init::Sobol => {
            // The crate's one scrambled Sobol sequence, seeded by the generation's Sobol stream.
            let seed = seed::stream(key, Stream::Sobol, 0);
            (0..n as u64)
                .map(|i| space.from_unit(&sobol_point(i, d, seed)))
                .collect()
        }
    }
}

/// `n` initial points of `space` in value form, seeded: what
/// [`propose_generation`](super::propose_generation) answers for generation 0
/// with nothing evaluated.
pub fn initial_population(
    space: &Space,
    init: Init,
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, GaError> {
    super::genome::check_space(space)?;
    Ok(init_points(space, init, n, seed::generation_key(seed, 0)))
}
