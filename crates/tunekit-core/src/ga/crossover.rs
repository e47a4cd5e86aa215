//! Crossover operators: SBX, uniform and blend-α for float genes; one-point,
//! two-point and uniform exchange for integer and categorical genes.

use crate::space::Space;

use super::error::GaError;
use super::genome::{Genome, Layout};
use super::params::{Crossover, DiscreteCrossover, FloatCrossover};
use crate::random::FastRng;

/// Genes closer than this (in the encoded unit interval) are not crossed by SBX.
const SBX_EPS: f64 = 1e-14;

/// Simulated binary crossover of one gene in [0, 1] (Deb & Agrawal 1995), in the
/// bounded form of Deb's NSGA-II reference code: the spread factor's
/// distribution is truncated so that both children fall inside the bounds.
/// Returns the children (nearer the lower parent first). The operator
/// itself runs a batch of genes at a time ([`sbx_genes`], tested equal).
#[cfg(test)]
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

/// `x^e`: by repeated multiplication when `e` is a small integer (the usual
/// distribution indices plus one), which is several times faster than `powf`.
#[inline]
pub(crate) fn pow_pos(x: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && (1.0..=64.0).contains(&e) {
        x.powi(e as i32)
    } else {
        x.powf(e)
    }
}

/// `x^(−e)`, as [`pow_pos`] (what `sbx_finish` computes a batch at a time).
#[cfg(test)]
fn pow_neg(x: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && (1.0..=64.0).contains(&e) {
        1.0 / x.powi(e as i32)
    } else {
        x.powf(-e)
    }
}

/// `x^(1/e)`: by repeated square roots when `e` is 2, 4, 8, 16 or 32 (SBX's
/// default η = 15 gives e = 16), else `powf`.
#[inline]
pub(crate) fn root(x: f64, e: f64) -> f64 {
    match e {
        2.0 => x.sqrt(),
        4.0 => x.sqrt().sqrt(),
        8.0 => x.sqrt().sqrt().sqrt(),
        16.0 => x.sqrt().sqrt().sqrt().sqrt(),
        32.0 => x.sqrt().sqrt().sqrt().sqrt().sqrt(),
        _ => x.powf(1.0 / e),
    }
}

/// Genes SBX-crossed per batch in [`sbx_genes`].
const SBX_BATCH: usize = 16;

/// The crossed genes of one batch: gene, parents' range, `u`, and per gene
/// the two spread bounds β, which become the roots' arguments in place.
struct SbxBatch {
    len: usize,
    gene: [usize; SBX_BATCH],
    lo: [f64; SBX_BATCH],
    hi: [f64; SBX_BATCH],
    swap: [bool; SBX_BATCH],
    /// `u` of each gene, twice (one per child).
    u: [f64; 2 * SBX_BATCH],
    /// β for the lower child, then the upper one, per gene; then `root`'s
    /// argument; then the spread factor.
    arg: [f64; 2 * SBX_BATCH],
}

/// SBX over `genes`, equal gene for gene to [`sbx_gene`] with the same
/// random numbers (per gene: cross or not, `u`, swap or not), but computed a
/// batch at a time: the random draws first, then the powers, divisions and
/// roots of the whole batch as loops without branches, whose long-latency
/// operations overlap instead of waiting for each other.
fn sbx_genes(genes: &[usize], eta: f64, a: &mut Genome, b: &mut Genome, rng: &mut FastRng) {
    let e1 = eta + 1.0;
    let mut batch = SbxBatch {
        len: 0,
        gene: [0; SBX_BATCH],
        lo: [0.0; SBX_BATCH],
        hi: [0.0; SBX_BATCH],
        swap: [false; SBX_BATCH],
        u: [0.0; 2 * SBX_BATCH],
        arg: [0.0; 2 * SBX_BATCH],
    };
    for &g in genes {
        if !rng.chance(0.5) {
            continue;
        }
        let (y1, y2) = (a.enc[g], b.enc[g]);
        if (y1 - y2).abs() <= SBX_EPS {
            continue;
        }
        let u = rng.uniform();
        let (lo, hi) = if y1 <= y2 { (y1, y2) } else { (y2, y1) };
        let d = hi - lo;
        let k = batch.len;
        batch.gene[k] = g;
        batch.lo[k] = lo;
        batch.hi[k] = hi;
        batch.u[2 * k] = u;
        batch.u[2 * k + 1] = u;
        batch.arg[2 * k] = 1.0 + 2.0 * lo / d;
        batch.arg[2 * k + 1] = 1.0 + 2.0 * (1.0 - hi) / d;
        batch.swap[k] = rng.chance(0.5);
        batch.len += 1;
        if batch.len == SBX_BATCH {
            sbx_finish(&mut batch, e1, a, b);
        }
    }
    sbx_finish(&mut batch, e1, a, b);
}

/// Works out a batch's spread factors and sets its children's genes.
fn sbx_finish(batch: &mut SbxBatch, e1: f64, a: &mut Genome, b: &mut Genome) {
    let k = batch.len;
    let (args, us) = (&mut batch.arg[..2 * k], &batch.u[..2 * k]);
    // β^(−e1), as `pow_neg`
    match integral_exponent(e1) {
        Some(n) => powi_in_place(args, n)
            .iter_mut()
            .for_each(|x| *x = 1.0 / *x),
        None => args.iter_mut().for_each(|x| *x = x.powf(-e1)),
    }
    // root's argument: u·α if at most 1, else 1 / (2 − u·α), α = 2 − β^(−e1)
    for (x, &u) in args.iter_mut().zip(us) {
        let ua = u * (2.0 - *x);
        let far = 1.0 / (2.0 - ua); // computed either way: a select, not a random branch
        *x = if ua <= 1.0 { ua } else { far };
    }
    roots(args, e1);
    for i in 0..k {
        let (lo, hi) = (batch.lo[i], batch.hi[i]);
        let d = hi - lo;
        let c1 = (0.5 * ((lo + hi) - batch.arg[2 * i] * d)).clamp(0.0, 1.0);
        let c2 = (0.5 * ((lo + hi) + batch.arg[2 * i + 1] * d)).clamp(0.0, 1.0);
        let (c1, c2) = if batch.swap[i] { (c2, c1) } else { (c1, c2) };
        a.set_encoded(batch.gene[i], c1);
        b.set_encoded(batch.gene[i], c2);
    }
    batch.len = 0;
}

/// `e` as an exponent `powi` takes, when it is a whole number in 1..=64.
#[inline]
fn integral_exponent(e: f64) -> Option<u32> {
    (e.fract() == 0.0 && (1.0..=64.0).contains(&e)).then_some(e as u32)
}

/// `x^n` of every element by square-and-multiply, the same multiplications
/// in the same order as `f64::powi` (so the same results), one bit of `n`
/// at a time for the whole slice.
fn powi_in_place(xs: &mut [f64], n: u32) -> &mut [f64] {
    let mut result = [1.0f64; 2 * SBX_BATCH];
    let result = &mut result[..xs.len()];
    let mut n = n;
    loop {
        if n & 1 == 1 {
            result.iter_mut().zip(xs.iter()).for_each(|(r, &x)| *r *= x);
        }
        n >>= 1;
        if n == 0 {
            break;
        }
        xs.iter_mut().for_each(|x| *x *= *x);
    }
    xs.copy_from_slice(result);
    xs
}

/// `root(x, e)` of every element, the exponent's case chosen once.
fn roots(xs: &mut [f64], e: f64) {
    match e {
        16.0 => xs
            .iter_mut()
            .for_each(|x| *x = x.sqrt().sqrt().sqrt().sqrt()),
        8.0 => xs.iter_mut().for_each(|x| *x = x.sqrt().sqrt().sqrt()),
        _ => xs.iter_mut().for_each(|x| *x = root(*x, e)),
    }
}

/// Crosses two genomes in place.
pub(crate) fn cross(
    layout: &Layout,
    op: &Crossover,
    a: &mut Genome,
    b: &mut Genome,
    rng: &mut FastRng,
) {
    match op.float {
        FloatCrossover::Sbx { eta } => sbx_genes(&layout.float_genes, eta, a, b, rng),
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
    rng: &mut FastRng,
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

#[cfg(test)]
mod power_tests {
    use super::{pow_neg, pow_pos, root, sbx_gene, sbx_genes, SBX_EPS};
    use crate::ga::genome::Genome;
    use crate::random::FastRng;

    #[test]
    fn batched_sbx_equals_the_gene_by_gene_operator() {
        for (seed, eta) in [(1u64, 15.0), (2, 7.0), (3, 2.5), (4, 30.0)] {
            let d = 45; // more than two batches
            let mut r = FastRng::new(seed);
            let ya: Vec<f64> = (0..d)
                .map(|g| if g % 9 == 0 { 0.5 } else { r.uniform() })
                .collect();
            let yb: Vec<f64> = (0..d)
                .map(|g| if g % 9 == 0 { 0.5 } else { r.uniform() })
                .collect();
            let (mut a, mut b) = (Genome::new(&ya, &ya), Genome::new(&yb, &yb));
            let genes: Vec<usize> = (0..d).collect();
            sbx_genes(&genes, eta, &mut a, &mut b, &mut FastRng::new(seed + 10));
            let mut rng = FastRng::new(seed + 10);
            let (mut ea, mut eb) = (ya.clone(), yb.clone());
            for g in 0..d {
                if !rng.chance(0.5) || (ya[g] - yb[g]).abs() <= SBX_EPS {
                    continue;
                }
                let (c1, c2) = sbx_gene(ya[g], yb[g], eta, rng.uniform());
                let (c1, c2) = if rng.chance(0.5) { (c2, c1) } else { (c1, c2) };
                ea[g] = c1;
                eb[g] = c2;
            }
            assert_eq!(a.enc, ea, "eta {eta}");
            assert_eq!(b.enc, eb, "eta {eta}");
            assert!(ea != ya, "some genes were crossed");
        }
    }

    #[test]
    fn fast_powers_agree_with_powf() {
        for &x in &[1e-9, 0.01, 0.3, 0.999, 1.0, 1.7, 3.0, 250.0] {
            for &e in &[1.0, 2.0, 4.0, 5.5, 8.0, 16.0, 21.0, 32.0, 100.0] {
                let (a, b) = (pow_neg(x, e), x.powf(-e));
                assert!(
                    a == b || (a - b).abs() <= 1e-12 * b.abs(),
                    "{x}^-{e}: {a} vs {b}"
                );
                let (a, b) = (pow_pos(x, e), x.powf(e));
                assert!(
                    a == b || (a - b).abs() <= 1e-12 * b.abs(),
                    "{x}^{e}: {a} vs {b}"
                );
                let (a, b) = (root(x, e), x.powf(1.0 / e));
                assert!((a - b).abs() <= 1e-14 * b.abs(), "{x}^(1/{e}): {a} vs {b}");
            }
        }
    }
}
