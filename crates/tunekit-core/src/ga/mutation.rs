//! Mutation operators: polynomial, Gaussian and uniform reset for numerical
//! genes; uniform resampling among the other categories for categorical ones.

use crate::space::Space;

use super::crossover::{pow_pos, root};
use super::error::GaError;
use super::genome::{Gene, Genome, Layout};
use super::params::Mutation;
use crate::random::FastRng;

/// Polynomial mutation of one gene in [0, 1] (Deb & Goyal 1996), in the
/// bounded form of Deb's NSGA-II reference code: the perturbation's
/// distribution is scaled by the distance to each bound, so the result stays
/// inside [0, 1].
#[inline]
pub(crate) fn polynomial_gene(y: f64, eta: f64, u: f64) -> f64 {
    let e1 = eta + 1.0;
    let deltaq = if u < 0.5 {
        let xy = 1.0 - y; // 1 − δ1, δ1 = distance to the lower bound
        let val = 2.0 * u + (1.0 - 2.0 * u) * pow_pos(xy, e1);
        root(val, e1) - 1.0
    } else {
        let xy = y; // 1 − δ2, δ2 = distance to the upper bound
        let val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * pow_pos(xy, e1);
        1.0 - root(val, e1)
    };
    (y + deltaq).clamp(0.0, 1.0)
}

/// Mutates each gene of `c` with probability `prob`, independently. The
/// genes to mutate are found by geometric gaps (the number of genes skipped
/// before the next mutated one is geometric with parameter `prob`), which
/// draws one number per mutated gene instead of one per gene.
pub(crate) fn mutate(layout: &Layout, op: Mutation, prob: f64, c: &mut Genome, rng: &mut FastRng) {
    let d = layout.len();
    if prob >= 1.0 {
        (0..d).for_each(|g| mutate_gene(layout, op, c, g, rng));
        return;
    }
    if prob <= 0.0 || prob.is_nan() {
        return;
    }
    let log_keep = (-prob).ln_1p(); // ln(1 − prob) < 0
    let gap = |rng: &mut FastRng| {
        let u = 1.0 - rng.uniform(); // (0, 1]
                                     // the float-to-int cast saturates: a huge gap ends the loop
        (u.ln() / log_keep) as usize
    };
    let mut g = gap(rng);
    while g < d {
        mutate_gene(layout, op, c, g, rng);
        g = g.saturating_add(1).saturating_add(gap(rng));
    }
}

/// Mutates gene `g` of `c`.
fn mutate_gene(layout: &Layout, op: Mutation, c: &mut Genome, g: usize, rng: &mut FastRng) {
    match layout.genes[g] {
        Gene::Categorical { n } => {
            if n > 1 {
                let old = c.value[g] as usize;
                let r = rng.below(n - 1);
                let new = if r >= old { r + 1 } else { r } as f64;
                c.value[g] = new;
                c.enc[g] = new;
            }
        }
        gene => {
            let old_u = c.enc[g];
            let new_u = match op {
                Mutation::Polynomial { eta } => polynomial_gene(old_u, eta, rng.uniform()),
                Mutation::Gaussian { sigma } => (old_u + sigma * rng.normal()).clamp(0.0, 1.0),
                Mutation::UniformReset => rng.uniform(),
            };
            if let Gene::Stepped { .. } = gene {
                // Round now; a perturbation that rounds back moves one step instead.
                let old_v = c.value_of(layout, g);
                let mut v = layout.decode(g, new_u);
                if v == old_v && new_u != old_u {
                    v = layout.step_from(g, old_v, new_u > old_u);
                }
                c.value[g] = v;
                c.enc[g] = layout.encode(g, v);
            } else {
                c.set_encoded(g, new_u);
            }
        }
    }
}

/// Mutates a valid point of `space` (value form): each gene with probability
/// `gene_prob` (`None` = 1 / number of genes).
pub fn mutate_point(
    space: &Space,
    op: Mutation,
    gene_prob: Option<f64>,
    point: &[f64],
    rng: &mut FastRng,
) -> Result<Vec<f64>, GaError> {
    super::genome::check_space(space)?;
    space
        .check_point(point)
        .map_err(|source| GaError::InvalidPoint { index: 0, source })?;
    let params = super::params::GaParams {
        mutation: op,
        mutation_prob: gene_prob,
        ..super::params::GaParams::single_objective()
    };
    params.check()?;
    let layout = Layout::new(space, &params.crossover);
    let mut enc = Vec::with_capacity(point.len());
    layout.encode_into(point, &mut enc);
    let mut c = Genome::new(point, &enc);
    mutate(
        &layout,
        op,
        gene_prob.unwrap_or(1.0 / space.len() as f64),
        &mut c,
        rng,
    );
    Ok(c.finish(&layout))
}
