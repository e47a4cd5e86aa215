//! Random parameter settings, identical to scikit-learn's `ParameterSampler`
//! with scipy.stats distributions.

use std::collections::HashSet;

use super::split_error::SplitError;
use crate::random::NumpyRandomState;

/// Where one parameter's values come from: a scipy.stats distribution, or a
/// plain list of values (represented by its length; the sample is an index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// `scipy.stats.uniform(loc, scale)`: uniform on `[loc, loc + scale)`.
    Uniform { loc: f64, scale: f64 },
    /// `scipy.stats.loguniform(a, b)` (alias `reciprocal`): log-uniform on `[a, b)`.
    LogUniform { a: f64, b: f64 },
    /// `scipy.stats.randint(low, high)`: an integer in `low..high` (high excluded).
    RandInt { low: i64, high: i64 },
    /// A plain list of `n` values: the sample is an index in `0..n`.
    Choice(usize),
}

/// One sampled value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampled {
    Float(f64),
    Int(i64),
    /// An index into a [`Distribution::Choice`] list.
    Index(usize),
}

/// `n_iter` parameter settings drawn as scikit-learn's
/// `ParameterSampler(dict(params), n_iter, random_state=seed)` draws them.
///
/// Each setting lists the parameters in sorted name order (byte order of the
/// UTF-8 names, which is Python's code-point order).
///
/// - If any parameter is a distribution: `n_iter` times, for each parameter
///   in sorted name order, one draw from one `RandomState(seed)`:
///   `Uniform` = `u·scale + loc` and `LogUniform` =
///   `exp(log a + u·(log b − log a))` with `u = random_sample()` (scipy's
///   `rvs`: `uniform._rvs` and, for loguniform, the inverse CDF of one
///   uniform draw; `exp`/`log` are the platform's, which may differ from
///   numpy's SIMD versions in the last bit); `RandInt` = legacy `randint(low, high)`; `Choice(n)` =
///   `randint(n)` (a list of one value draws nothing).
/// - If every parameter is a list: sampling without replacement from the full
///   grid, as scikit-learn does: `min(n_iter, grid size)` grid positions from
///   [`sample_without_replacement`], each decoded in `ParameterGrid` order
///   (the last name in sorted order varies fastest). When `n_iter` is at least
///   the grid size this is the whole grid in order (scikit-learn warns).
///   An empty `params` is a grid of one empty setting.
///
/// `seed: None` uses [`DEFAULT_SEED`](crate::random::DEFAULT_SEED).
pub fn sample_parameters(
    params: &[(String, Distribution)],
    n_iter: usize,
    seed: Option<u32>,
) -> Result<Vec<Vec<(String, Sampled)>>, SplitError> {
    if n_iter == 0 {
        return Err(SplitError::ZeroIterations);
    }
    let mut sorted: Vec<&(String, Distribution)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for pair in sorted.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(SplitError::DuplicateParameter {
                name: pair[0].0.clone(),
            });
        }
    }
    for (name, dist) in &sorted {
        validate(name, dist)?;
    }
    let mut rng = NumpyRandomState::from_seed(seed);

    let all_lists = sorted
        .iter()
        .all(|(_, d)| matches!(d, Distribution::Choice(_)));
    if all_lists {
        let mut grid_size: usize = 1;
        let mut sizes = Vec::with_capacity(sorted.len());
        for (name, dist) in &sorted {
            let n = match dist {
                Distribution::Choice(n) => *n,
                _ => 1,
            };
            grid_size = grid_size
                .checked_mul(n)
                .ok_or_else(|| SplitError::GridTooLarge { name: name.clone() })?;
            sizes.push(n);
        }
        let n_samples = n_iter.min(grid_size);
        let picks = sample_without_replacement(grid_size, n_samples, &mut rng);
        let settings = picks
            .into_iter()
            .map(|mut ind| {
                let mut setting: Vec<(String, Sampled)> = Vec::with_capacity(sorted.len());
                for ((name, _), &n) in sorted.iter().zip(&sizes).rev() {
                    setting.push((name.clone(), Sampled::Index(ind % n)));
                    ind /= n;
                }
                setting.reverse();
                setting
            })
            .collect();
        return Ok(settings);
    }

    let mut settings = Vec::with_capacity(n_iter);
    for _ in 0..n_iter {
        let setting = sorted
            .iter()
            .map(|(name, dist)| (name.clone(), draw(dist, &mut rng)))
            .collect();
        settings.push(setting);
    }
    Ok(settings)
}

fn validate(name: &str, dist: &Distribution) -> Result<(), SplitError> {
    let name = || name.to_owned();
    match *dist {
        Distribution::Uniform { loc, scale } => {
            if !(loc.is_finite() && scale.is_finite() && scale > 0.0) {
                return Err(SplitError::InvalidUniform {
                    name: name(),
                    loc,
                    scale,
                });
            }
        }
        Distribution::LogUniform { a, b } => {
            if !(a.is_finite() && b.is_finite() && a > 0.0 && a < b) {
                return Err(SplitError::InvalidLogUniform { name: name(), a, b });
            }
        }
        Distribution::RandInt { low, high } => {
            if low >= high {
                return Err(SplitError::InvalidRandInt {
                    name: name(),
                    low,
                    high,
                });
            }
        }
        Distribution::Choice(n) => {
            if n == 0 {
                return Err(SplitError::EmptyChoice { name: name() });
            }
        }
    }
    Ok(())
}

/// One draw, consuming the stream exactly as scipy's `rvs(random_state=rng)`
/// (or, for a list, scikit-learn's `rng.randint(len(list))`) does.
fn draw(dist: &Distribution, rng: &mut NumpyRandomState) -> Sampled {
    match *dist {
        Distribution::Uniform { loc, scale } => Sampled::Float(rng.random_sample() * scale + loc),
        Distribution::LogUniform { a, b } => {
            let u = rng.random_sample();
            // scipy's reciprocal._ppf: exp(log a + q·(log b − log a)). numpy's
            // SIMD exp/log (AVX-512 builds) can differ from the C library's in
            // the last bit, so a draw may be 1 ulp from numpy's on such CPUs.
            let (la, lb) = (a.ln(), b.ln());
            Sampled::Float((la + u * (lb - la)).exp())
        }
        Distribution::RandInt { low, high } => {
            Sampled::Int(rng.randint_between(low, high).unwrap_or(low))
        }
        Distribution::Choice(n) => Sampled::Index(rng.randint(n as u64) as usize),
    }
}

/// scikit-learn's `sample_without_replacement(n_population, n_samples,
/// method="auto", random_state=rng)`: `n_samples` distinct integers of
/// `0..n_population` (`n_samples` is capped at `n_population`).
///
/// The method follows the ratio `r = n_samples / n_population` (1 when the
/// population is empty):
/// - `0.01 < r < 0.99`: `permutation(n_population)[..n_samples]`;
/// - otherwise `r < 0.2` ("tracking selection"): `randint(n_population)`
///   repeated, skipping values already taken;
/// - otherwise ("reservoir sampling"): start from `0..n_samples`, then for
///   each `i` in `n_samples..n_population` draw `j = randint(i + 1)` and put
///   `i` at position `j` when `j < n_samples` (so `n_samples ==
///   n_population` returns `0..n` and draws nothing).
pub fn sample_without_replacement(
    n_population: usize,
    n_samples: usize,
    rng: &mut NumpyRandomState,
) -> Vec<usize> {
    let n_samples = n_samples.min(n_population);
    let ratio = if n_population == 0 {
        1.0
    } else {
        n_samples as f64 / n_population as f64
    };
    if ratio > 0.01 && ratio < 0.99 {
        let mut perm = rng.permutation(n_population);
        perm.truncate(n_samples);
        perm
    } else if ratio < 0.2 {
        let mut selected = HashSet::with_capacity(n_samples);
        let mut out = Vec::with_capacity(n_samples);
        for _ in 0..n_samples {
            let mut j = rng.randint(n_population as u64) as usize;
            while selected.contains(&j) {
                j = rng.randint(n_population as u64) as usize;
            }
            selected.insert(j);
            out.push(j);
        }
        out
    } else {
        let mut out: Vec<usize> = (0..n_samples).collect();
        for i in n_samples..n_population {
            let j = rng.randint(i as u64 + 1) as usize;
            if j < n_samples {
                out[j] = i;
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sample_without_replacement_doc_example() {
        // scikit-learn's docstring: sample_without_replacement(10, 5, random_state=42)
        let mut rng = NumpyRandomState::new(42);
        assert_eq!(
            sample_without_replacement(10, 5, &mut rng),
            vec![8, 1, 5, 0, 7]
        );
    }

    #[test]
    fn tracking_and_reservoir_are_distinct() {
        let mut rng = NumpyRandomState::new(3);
        let picks = sample_without_replacement(10_000, 20, &mut rng);
        let set: HashSet<_> = picks.iter().collect();
        assert_eq!(set.len(), 20);
        let picks = sample_without_replacement(100, 995 / 10, &mut rng);
        let set: HashSet<_> = picks.iter().collect();
        assert_eq!(set.len(), 99);
    }
}
