//! The stateless entry point: one call per generation.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::space::Space;

use super::crossover::cross;
use super::error::GaError;
use super::genome::{check_space, Genome, Layout};
use super::individual::{Direction, Individual};
use super::init::init_points;
use super::mutation::mutate;
use super::objectives::Objectives;
use super::params::GaParams;
use super::rng::{mix64, GaRng, Stream};
use super::selection::Selector;
use super::survival::{select_population, Ranked};

/// Everything one generation depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerationRequest {
    pub space: Space,
    pub params: GaParams,
    /// One per objective.
    pub directions: Vec<Direction>,
    /// The individuals to select parents from, in evaluation order: the whole
    /// history, or (for exact NSGA-II) the previous parent population
    /// ([`parent_population`]) followed by the latest offspring.
    pub evaluated: Vec<Individual>,
    /// Generation number: with the seed, it keys the random numbers.
    pub generation: u64,
    /// How many children to propose.
    pub n: usize,
}

/// How many times a child that duplicates an evaluated point is bred again.
const DUPLICATE_TRIES: usize = 16;

/// Checks the settings, the space, and every evaluated individual.
pub(crate) fn validate(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &[Individual],
) -> Result<Objectives, GaError> {
    params.check()?;
    check_space(space)?;
    let obj = Objectives::new(pool.iter().map(|i| &i.values), directions)?;
    for (index, ind) in pool.iter().enumerate() {
        space
            .check_point(&ind.point)
            .map_err(|source| GaError::InvalidPoint { index, source })?;
        if ind.violation.is_nan() || ind.violation < 0.0 {
            return Err(GaError::InvalidViolation {
                index,
                value: ind.violation,
            });
        }
    }
    Ok(obj)
}

/// Fingerprints are mixed already: hash them as they are.
#[derive(Default, Clone, Copy)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix64(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// A 64-bit fingerprint of a point (−0.0 and 0.0 alike).
fn fingerprint(point: &[f64]) -> u64 {
    point.iter().fold(0x243F_6A88_85A3_08D3, |h, &v| {
        mix64(h ^ (v + 0.0).to_bits()).rotate_left(5)
    })
}

/// Children and the parent population (indices into `pool`).
pub(crate) fn propose_inner(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &[Individual],
    generation: u64,
    n: usize,
) -> Result<(Vec<Vec<f64>>, Vec<Ranked>), GaError> {
    let obj = validate(space, params, directions, pool)?;
    let key = GaRng::generation_key(params.seed, generation);
    if pool.is_empty() {
        return Ok((init_points(space, params.init, n, key), Vec::new()));
    }
    let members = select_population(&obj, pool, params.population_size, params.elitism);
    let layout = Layout::new(space, &params.crossover);
    let d = layout.len();
    let mut enc = Vec::with_capacity(members.len() * d);
    for m in &members {
        layout.encode_into(&pool[m.idx].point, &mut enc);
    }
    let mut selector = Selector::new(&members, &obj, params.selection, key);
    let mutation_prob = params.mutation_prob.unwrap_or(1.0 / d as f64);
    let mut seen: HashSet<u64, BuildHasherDefault<Identity>> = HashSet::default();
    if params.avoid_duplicates {
        seen.reserve(pool.len().saturating_add(n.min(1 << 16)));
        seen.extend(pool.iter().map(|i| fingerprint(&i.point)));
    }
    let mut children = Vec::with_capacity(n.min(1 << 16));
    let mut pair = 0usize;
    while children.len() < n {
        let mut rng = GaRng::stream(key, Stream::Pair, pair as u64);
        let mut wanted = 2.min(n - children.len());
        let tries = if params.avoid_duplicates {
            DUPLICATE_TRIES
        } else {
            1
        };
        for attempt in 0..tries {
            let (pa, pb) = (selector.pick(&mut rng), selector.pick(&mut rng));
            let row = |p: usize| (&pool[members[p].idx].point[..], &enc[p * d..(p + 1) * d]);
            let (va, ea) = row(pa);
            let (vb, eb) = row(pb);
            let (mut a, mut b) = (Genome::new(va, ea), Genome::new(vb, eb));
            if rng.chance(params.crossover_prob) {
                cross(&layout, &params.crossover, &mut a, &mut b, &mut rng);
            }
            for c in [&mut a, &mut b] {
                mutate(&layout, params.mutation, mutation_prob, c, &mut rng);
            }
            for c in [a, b] {
                if wanted == 0 {
                    break;
                }
                let child = c.finish(&layout);
                if params.avoid_duplicates {
                    let f = fingerprint(&child);
                    if seen.contains(&f) && attempt + 1 < tries {
                        continue;
                    }
                    seen.insert(f);
                }
                children.push(child);
                wanted -= 1;
            }
            if wanted == 0 {
                break;
            }
        }
        pair += 1;
    }
    Ok((children, members))
}

/// The next `req.n` individuals to evaluate, in value form.
///
/// With nothing evaluated: the initial population (`params.init`). Otherwise
/// the parent population is chosen from `req.evaluated` (see
/// [`parent_population`]), parents are drawn by `params.selection`, paired,
/// crossed with probability `crossover_prob` and mutated gene by gene. The
/// answer is a pure function of the request: the random numbers come from
/// `(params.seed, generation)` and child pair `i` has its own stream, so the
/// first `k` children do not depend on `n`.
pub fn propose_generation(req: &GenerationRequest) -> Result<Vec<Vec<f64>>, GaError> {
    propose_inner(
        &req.space,
        &req.params,
        &req.directions,
        &req.evaluated,
        req.generation,
        req.n,
    )
    .map(|(c, _)| c)
}

/// [`propose_generation`] and [`parent_population`] in one call (one
/// selection): the children, and the parent population as indices into
/// `req.evaluated`.
pub fn propose_generation_and_parents(
    req: &GenerationRequest,
) -> Result<(Vec<Vec<f64>>, Vec<usize>), GaError> {
    propose_inner(
        &req.space,
        &req.params,
        &req.directions,
        &req.evaluated,
        req.generation,
        req.n,
    )
    .map(|(c, members)| (c, members.into_iter().map(|m| m.idx).collect()))
}

/// [`propose_generation_and_parents`] on borrowed parts: for a caller that
/// keeps the space and settings (the binding's `GaEngine`) and calls once per
/// generation, so nothing is cloned.
pub fn propose_generation_from(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    evaluated: &[Individual],
    generation: u64,
    n: usize,
) -> Result<(Vec<Vec<f64>>, Vec<usize>), GaError> {
    propose_inner(space, params, directions, evaluated, generation, n)
        .map(|(c, members)| (c, members.into_iter().map(|m| m.idx).collect()))
}

/// The parent population the request's children are bred from: indices into
/// `req.evaluated`, ascending. One objective: the `elitism` best plus the most
/// recent others; several: NSGA-II's environmental selection (rank, then
/// crowding distance). Pass these individuals plus the children, once
/// evaluated, as the next generation's `evaluated` for exact NSGA-II.
pub fn parent_population(req: &GenerationRequest) -> Result<Vec<usize>, GaError> {
    let obj = validate(&req.space, &req.params, &req.directions, &req.evaluated)?;
    let members = select_population(
        &obj,
        &req.evaluated,
        req.params.population_size,
        req.params.elitism,
    );
    Ok(members.into_iter().map(|m| m.idx).collect())
}
