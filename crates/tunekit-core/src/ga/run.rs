//! A generational loop for objectives written in Rust (tests, examples,
//! benchmarks): propose, evaluate in parallel with rayon, select, repeat.

use rayon::prelude::*;

use crate::space::Space;

use super::error::GaError;
use super::generation::propose_inner;
use super::individual::{Direction, Individual};
use super::params::GaParams;

/// What a run evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Every evaluated individual, in evaluation order.
    pub evaluated: Vec<Individual>,
    /// The final parent population (indices into `evaluated`).
    pub population: Vec<usize>,
    /// Number of generations evaluated (the initial population is generation 0).
    pub generations: u64,
}

/// Runs the GA on an unconstrained objective until `budget` evaluations:
/// `f` returns one value per direction.
pub fn run<F>(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    budget: usize,
    f: F,
) -> Result<RunResult, GaError>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    run_constrained(space, params, directions, budget, |x| (f(x), 0.0))
}

/// Runs the GA on a constrained objective: `f` returns the objective values
/// and the total constraint violation (0 = feasible).
///
/// Each generation proposes `population_size` children (fewer at the end of
/// the budget) through the same code as [`propose_generation`](super::propose_generation),
/// evaluates them in parallel, and passes the parent population plus the
/// children on to the next generation, which makes the multi-objective case
/// exactly NSGA-II.
pub fn run_constrained<F>(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    budget: usize,
    f: F,
) -> Result<RunResult, GaError>
where
    F: Fn(&[f64]) -> (Vec<f64>, f64) + Sync,
{
    super::generation::validate(space, params, directions, &[][..] as &[Individual], false)?;
    let mut evaluated: Vec<Individual> = Vec::with_capacity(budget.min(1 << 20));
    // the pool passed to the next generation, and its indices into `evaluated`
    let mut pool: Vec<Individual> = Vec::new();
    let mut pool_ids: Vec<usize> = Vec::new();
    let mut generation = 0u64;
    while evaluated.len() < budget {
        let n = params.population_size.min(budget - evaluated.len());
        let bred = propose_inner(space, params, directions, &pool[..], generation, n, true)?;
        let parents = bred.members;
        let children: Vec<Vec<f64>> = bred
            .children
            .chunks(space.len())
            .map(<[f64]>::to_vec)
            .collect();
        let results: Vec<(Vec<f64>, f64)> = children.par_iter().map(|x| f(x)).collect();
        let mut next_pool = Vec::with_capacity(parents.len() + children.len());
        let mut next_ids = Vec::with_capacity(parents.len() + children.len());
        for m in &parents {
            next_pool.push(std::mem::replace(
                &mut pool[m.idx],
                Individual::new(Vec::new(), Vec::new()),
            ));
            next_ids.push(pool_ids[m.idx]);
        }
        for (point, (values, violation)) in children.into_iter().zip(results) {
            let index = evaluated.len();
            if values.len() != directions.len() {
                return Err(GaError::ObjectiveCount {
                    index,
                    expected: directions.len(),
                    got: values.len(),
                });
            }
            if violation.is_nan() || violation < 0.0 {
                return Err(GaError::InvalidViolation {
                    index,
                    value: violation,
                });
            }
            let ind = Individual {
                point,
                values,
                violation,
            };
            evaluated.push(ind.clone());
            next_pool.push(ind);
            next_ids.push(index);
        }
        pool = next_pool;
        pool_ids = next_ids;
        generation += 1;
    }
    let population = if pool.is_empty() {
        Vec::new()
    } else {
        let obj = super::generation::validate(space, params, directions, &pool[..], true)?;
        super::survival::select_population(&obj, &pool[..], params.population_size, params.elitism)
            .into_iter()
            .map(|m| pool_ids[m.idx])
            .collect()
    };
    Ok(RunResult {
        evaluated,
        population,
        generations: generation,
    })
}
