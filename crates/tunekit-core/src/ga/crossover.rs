//! Crossover operators: SBX, uniform and blend-α for float genes; one-point,
//! two-point and uniform exchange for integer and categorical genes.

use crate::space::Space;

use super::error::GaError;
use super::genome::{Genome, Layout};
use super::params::{Crossover, DiscreteCrossover, FloatCrossover};
use super::rng::GaRng;

/// Genes closer than this (in the encoded unit interval) are not crossed by SBX.
const SBX_EPS: f64 = 1e-14;

/// Simulated binary crossover of one gene in [0, 1] (Deb & Agrawal 1995), in the
/// bounded form of Deb's NSGA-II reference code: the spread factor's
/// distribution is truncated so that both children fall inside the bounds.
/// Returns the children (nearer the lower parent first).
#[inline]
pub(crate) fn sbx_gene(y1: f64, y2: f64, eta: f64, u: f64) -> (f64, f64) {
    let (lo, hi) = if y1 <= y2 { (y1, y2) } else { (y2, y1) };
    let d = hi - lo;
    let e1 = eta + 1.0;
    let betaq = |beta: f64| {
        let alpha = 2.0 - pow_neg(beta, e1);
        if u * alpha <= 1.0 {
            root(u * alpha, e1)
        } else {
            root(1.0 / (2.0 - u * alpha), e1)
        }
    };
    let c1 = 0.5 * ((lo + hi) - betaq(1.0 + 2.0 * lo / d) * d);
    let c2 = 0.5 * ((lo + hi) + betaq(1.0 + 2.0 * (1.0 - hi) / d) * d);
    (c1.clamp(0.0, 1.0), c2.clamp(0.0, 1.0))
}

/// `x^(−e)`: by repeated multiplication when `e` is a small integer (the usual
/// distribution indices), which is several times faster than `powf`.
fn pow_neg(x: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && (1.0..=64.0).contains(&e) {
        1.0 / x.powi(e as i32)
    } else {
        x.powf(-e)
    }
}

/// `x^(1/e)`: by repeated square roots when `e` is 2, 4, 8, 16 or 32 (SBX's
/// default η = 15 gives e = 16), else `powf`.
fn root(x: f64, e: f64) -> f64 {
    match e {
        2.0 => x.sqrt(),
        4.0 => x.sqrt().sqrt(),
        8.0 => x.sqrt().sqrt().sqrt(),
        16.0 => x.sqrt().sqrt().sqrt().sqrt(),
        32.0 => x.sqrt().sqrt().sqrt().sqrt().sqrt(),
        _ => x.powf(1.0 / e),
    }
}

#[cfg(test)]
mod power_tests {
    use super::{pow_neg, root};

    #[test]
    fn fast_powers_agree_with_powf() {
        for &x in &[1e-9, 0.01, 0.3, 0.999, 1.0, 1.7, 3.0, 250.0] {
            for &e in &[1.0, 2.0, 4.0, 5.5, 8.0, 16.0, 21.0, 32.0, 100.0] {
                let (a, b) = (pow_neg(x, e), x.powf(-e));
                assert!(
                    a == b || (a - b).abs() <= 1e-12 * b.abs(),
                    "{x}^-{e}: {a} vs {b}"
                );
                let (a, b) = (root(x, e), x.powf(1.0 / e));
                assert!((a - b).abs() <= 1e-14 * b.abs(), "{x}^(1/{e}): {a} vs {b}");
            }
        }
    }
}

/// Crosses two genomes in place.
pub(crate) fn cross(
    layout: &Layout,
    op: &Crossover,
    a: &mut Genome,
    b: &mut Genome,
    rng: &mut GaRng,
) {
    match op.float {
        FloatCrossover::Sbx { eta } => {
            for &g in &layout.float_genes {
                if !rng.chance(0.5) {
                    continue;
                }
                let (y1, y2) = (a.enc[g], b.enc[g]);
                if (y1 - y2).abs() <= SBX_EPS {
                    continue;
                }
                let (c1, c2) = sbx_gene(y1, y2, eta, rng.uniform());
                let (c1, c2) = if rng.chance(0.5) { (c2, c1) } else { (c1, c2) };
                a.set_encoded(g, c1);
                b.set_encoded(g, c2);
            }
        }
        FloatCrossover::Uniform => {
            for &g in &layout.float_genes {
                if rng.chance(0.5) {
                    a.swap_gene(b, g);
                }
            }
        }
        FloatCrossover::Blend { alpha } => {
            for &g in &layout.float_genes {
                let (y1, y2) = (a.enc[g], b.enc[g]);
                let (lo, hi) = if y1 <= y2 { (y1, y2) } else { (y2, y1) };
                let d = hi - lo;
                if d == 0.0 {
                    continue;
                }
                let (from, width) = (lo - alpha * d, d * (1.0 + 2.0 * alpha));
                let c1 = (from + rng.uniform() * width).clamp(0.0, 1.0);
                let c2 = (from + rng.uniform() * width).clamp(0.0, 1.0);
                a.set_encoded(g, c1);
                b.set_encoded(g, c2);
            }
        }
    }
    let genes = &layout.discrete_genes;
    let n = genes.len();
    match op.discrete {
        DiscreteCrossover::Uniform => {
            for &g in genes {
                if rng.chance(0.5) {
                    a.swap_gene(b, g);
                }
            }
        }
        DiscreteCrossover::OnePoint if n >= 2 => {
            let cut = 1 + rng.below(n - 1);
            for &g in &genes[cut..] {
                a.swap_gene(b, g);
            }
        }
        DiscreteCrossover::TwoPoint if n >= 3 => {
            // two distinct cuts among the n − 1 inner positions
            let c1 = 1 + rng.below(n - 1);
            let mut c2 = 1 + rng.below(n - 2);
            if c2 >= c1 {
                c2 += 1;
            }
            let (c1, c2) = if c1 < c2 { (c1, c2) } else { (c2, c1) };
            for &g in &genes[c1..c2] {
                a.swap_gene(b, g);
            }
        }
        DiscreteCrossover::TwoPoint if n == 2 => {
            // one inner position only: two-point degenerates to one-point
            a.swap_gene(b, genes[1]);
        }
        // a single discrete gene cannot be mixed: exchanging it only swaps the children
        DiscreteCrossover::OnePoint | DiscreteCrossover::TwoPoint => {}
    }
}

/// Crosses two valid points of `space` (value form) and returns the two
/// children (always crossed: the pair probability is the caller's).
pub fn crossover_pair(
    space: &Space,
    op: &Crossover,
    a: &[f64],
    b: &[f64],
    rng: &mut GaRng,
) -> Result<(Vec<f64>, Vec<f64>), GaError> {
    super::genome::check_space(space)?;
    space
        .check_point(a)
        .map_err(|source| GaError::InvalidPoint { index: 0, source })?;
    space
        .check_point(b)
        .map_err(|source| GaError::InvalidPoint { index: 1, source })?;
    let layout = Layout::new(space, op);
    let (mut ea, mut eb) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    layout.encode_into(a, &mut ea);
    layout.encode_into(b, &mut eb);
    let (mut ga, mut gb) = (Genome::new(a, &ea), Genome::new(b, &eb));
    cross(&layout, op, &mut ga, &mut gb, rng);
    Ok((ga.finish(&layout), gb.finish(&layout)))
}
