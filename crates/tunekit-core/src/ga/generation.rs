//! The stateless entry point: one call per generation.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::space::Space;

use super::crossover::cross;
use super::diversity::spread;
use super::error::GaError;
use super::genome::{check_space, Genome, Layout};
use super::individual::{Direction, Individual};
use super::init::init_points;
use super::mutation::mutate;
use super::objectives::Objectives;
use super::params::GaParams;
use super::pool::Pool;
use super::selection::Selector;
use super::survival::{select_population, Ranked};
use crate::random::seed::{self, mix64, Stream};
use crate::random::FastRng;

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

/// Checks the settings, the space, and every evaluated individual (its
/// point too unless `points_checked`: points this module bred itself).
pub(crate) fn validate<P: Pool + ?Sized>(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &P,
    points_checked: bool,
) -> Result<Objectives, GaError> {
    params.check()?;
    check_space(space)?;
    let obj = Objectives::new((0..pool.len()).map(|i| pool.values(i)), directions)?;
    for index in 0..pool.len() {
        let point = pool.point(index);
        if !points_checked {
            space
                .check_point(point)
                .map_err(|source| GaError::InvalidPoint { index, source })?;
        } else if point.len() != space.len()
            || pool.encoded(index).is_some_and(|e| e.len() != space.len())
        {
            return Err(GaError::InvalidPoint {
                index,
                source: crate::space::SpaceError::WrongLength {
                    expected: space.len(),
                    got: point.len(),
                },
            });
        }
        let violation = pool.violation(index);
        if violation.is_nan() || violation < 0.0 {
            return Err(GaError::InvalidViolation {
                index,
                value: violation,
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

/// A 64-bit fingerprint of a point (−0.0 and 0.0 alike): one multiply per
/// gene (the FxHash step), then a full mix. Equal points always agree; two
/// different points that collide only cost the second one a re-breed.
fn fingerprint(point: &[f64]) -> u64 {
    const K: u64 = 0x517C_C1B7_2722_0A95;
    let h = point.iter().fold(0x243F_6A88_85A3_08D3_u64, |h, &v| {
        (h.rotate_left(5) ^ (v + 0.0).to_bits()).wrapping_mul(K)
    });
    mix64(h)
}

/// What one generation bred (see [`propose_inner`]).
pub(crate) struct Bred {
    /// The children in value form, row-major.
    pub children: Vec<f64>,
    /// The children encoded, row-major.
    pub encoded: Vec<f64>,
    /// The parent population (indices into the pool), ascending.
    pub members: Vec<Ranked>,
    /// The children's fingerprints (empty when duplicates are allowed).
    pub prints: Vec<u64>,
}

/// Children (value form, row-major) and the parent population (indices into `pool`).
pub(crate) fn propose_inner<P: Pool + ?Sized>(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &P,
    generation: u64,
    n: usize,
    points_checked: bool,
) -> Result<Bred, GaError> {
    let obj = validate(space, params, directions, pool, points_checked)?;
    let key = seed::generation_key(params.seed, generation);
    if pool.is_empty() {
        let points = init_points(space, params.init, n, key);
        let prints = if params.avoid_duplicates {
            points.iter().map(|p| fingerprint(p)).collect()
        } else {
            Vec::new()
        };
        let layout = Layout::new(space, &params.crossover);
        let mut encoded = Vec::with_capacity(n.min(1 << 16).saturating_mul(space.len()));
        points
            .iter()
            .for_each(|p| layout.encode_into(p, &mut encoded));
        return Ok(Bred {
            children: points.concat(),
            encoded,
            members: Vec::new(),
            prints,
        });
    }
    let members = select_population(&obj, pool, params.population_size, params.elitism);
    let layout = Layout::new(space, &params.crossover);
    let d = layout.len();
    let mut enc = Vec::with_capacity(members.len() * d);
    for m in &members {
        match pool.encoded(m.idx) {
            Some(e) => enc.extend_from_slice(e),
            None => layout.encode_into(pool.point(m.idx), &mut enc),
        }
    }
    let mut selector = Selector::new(&members, &obj, params.selection, key);
    let mutation_prob = params.mutation_prob.unwrap_or(1.0 / d as f64);
    let mut seen: HashSet<u64, BuildHasherDefault<Identity>> = HashSet::default();
    if params.avoid_duplicates {
        seen.reserve(pool.len().saturating_add(n.min(1 << 16)));
        seen.extend((0..pool.len()).map(|i| {
            pool.fingerprint(i)
                .unwrap_or_else(|| fingerprint(pool.point(i)))
        }));
    }
    let tries = if params.avoid_duplicates {
        DUPLICATE_TRIES
    } else {
        1
    };
    // Two working genomes, reloaded for every pair; children go straight into one block.
    let (mut a, mut b) = (Genome::with_len(d), Genome::with_len(d));
    let mut children = Vec::with_capacity(n.min(1 << 16).saturating_mul(d));
    let mut encoded = Vec::with_capacity(n.min(1 << 16).saturating_mul(d));
    let mut prints = Vec::with_capacity(if params.avoid_duplicates {
        n.min(1 << 16)
    } else {
        0
    });
    let mut count = 0usize;
    let mut pair = 0usize;
    while count < n {
        let mut rng = FastRng::stream(key, Stream::Pair, pair as u64);
        let mut wanted = 2.min(n - count);
        for attempt in 0..tries {
            let (pa, pb) = (selector.pick(&mut rng), selector.pick(&mut rng));
            a.load(pool.point(members[pa].idx), &enc[pa * d..(pa + 1) * d]);
            b.load(pool.point(members[pb].idx), &enc[pb * d..(pb + 1) * d]);
            if rng.chance(params.crossover_prob) {
                cross(&layout, &params.crossover, &mut a, &mut b, &mut rng);
            }
            for c in [&mut a, &mut b] {
                mutate(&layout, params.mutation, mutation_prob, c, &mut rng);
            }
            for c in [&a, &b] {
                if wanted == 0 {
                    break;
                }
                let start = children.len();
                c.finish_encoded_into(&layout, &mut children, &mut encoded);
                if params.avoid_duplicates {
                    let f = fingerprint(&children[start..]);
                    if seen.contains(&f) && attempt + 1 < tries {
                        children.truncate(start);
                        encoded.truncate(start);
                        continue;
                    }
                    seen.insert(f);
                    prints.push(f);
                }
                count += 1;
                wanted -= 1;
            }
            if wanted == 0 {
                break;
            }
        }
        pair += 1;
    }
    Ok(Bred {
        children,
        encoded,
        members,
        prints,
    })
}

/// Rows of a row-major block of `d` columns.
fn rows(flat: Vec<f64>, d: usize) -> Vec<Vec<f64>> {
    flat.chunks(d.max(1)).map(<[f64]>::to_vec).collect()
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
    propose_generation_and_parents(req).map(|(children, _)| children)
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
        &req.evaluated[..],
        req.generation,
        req.n,
        false,
    )
    .map(|b| {
        (
            rows(b.children, req.space.len()),
            b.members.into_iter().map(|m| m.idx).collect(),
        )
    })
}

/// One generation bred from a pool: what [`breed`] returns. The children's
/// encodings and fingerprints ride along, private, for
/// [`FlatPool::extend_offspring`](super::FlatPool::extend_offspring): they
/// cannot go stale because the children cannot be changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offspring {
    pub(crate) children: Vec<f64>,
    pub(crate) parents: Vec<usize>,
    pub(crate) diversity: f64,
    /// The children encoded (row-major), as breeding sees them.
    pub(crate) encoded: Vec<f64>,
    /// The children's duplicate-check fingerprints (empty when duplicates are allowed).
    pub(crate) fingerprints: Vec<u64>,
}

impl Offspring {
    /// The children in value form, row-major (`n` × parameters).
    pub fn children(&self) -> &[f64] {
        &self.children
    }

    /// The parent population, as indices into the pool, ascending.
    pub fn parents(&self) -> &[usize] {
        &self.parents
    }

    /// The children's [`diversity`](super::diversity).
    pub fn diversity(&self) -> f64 {
        self.diversity
    }
}

/// [`propose_generation_and_parents`] on borrowed parts and any [`Pool`],
/// with the children in one row-major block and their diversity: for a
/// caller that keeps the space, the settings and the pool between
/// generations (the binding's `GaEngine`), so nothing is cloned and, past
/// the initial population, no vector is made per individual. `points_checked` skips checking the
/// pool's points against the space: pass `true` only for points this
/// module bred (or checked) itself. Objective values and violations are
/// always checked.
pub fn breed<P: Pool + ?Sized>(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &P,
    generation: u64,
    n: usize,
    points_checked: bool,
) -> Result<Offspring, GaError> {
    let bred = propose_inner(
        space,
        params,
        directions,
        pool,
        generation,
        n,
        points_checked,
    )?;
    let diversity = spread(
        &bred.encoded,
        bred.encoded.len() / space.len().max(1),
        space,
    );
    Ok(Offspring {
        children: bred.children,
        parents: bred.members.into_iter().map(|m| m.idx).collect(),
        diversity,
        encoded: bred.encoded,
        fingerprints: bred.prints,
    })
}

/// The parent population the request's children are bred from: indices into
/// `req.evaluated`, ascending. One objective: the `elitism` best plus the most
/// recent others; several: NSGA-II's environmental selection (rank, then
/// crowding distance). Pass these individuals plus the children, once
/// evaluated, as the next generation's `evaluated` for exact NSGA-II.
pub fn parent_population(req: &GenerationRequest) -> Result<Vec<usize>, GaError> {
    let obj = validate(
        &req.space,
        &req.params,
        &req.directions,
        &req.evaluated[..],
        false,
    )?;
    let members = select_population(
        &obj,
        &req.evaluated[..],
        req.params.population_size,
        req.params.elitism,
    );
    Ok(members.into_iter().map(|m| m.idx).collect())
}
