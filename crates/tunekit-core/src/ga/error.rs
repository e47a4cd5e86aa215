//! The one error type of the genetic-algorithm module.

use thiserror::Error;

use crate::space::SpaceError;

/// Everything that can go wrong when configuring or running the GA.
///
/// Every message names the offending value, so it can be shown to a user as is.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GaError {
    #[error("population_size must be at least 2, got {0}")]
    PopulationTooSmall(usize),
    #[error("{name} must be a probability in [0, 1], got {value}")]
    InvalidProbability { name: &'static str, value: f64 },
    #[error("{name} must be a finite number >= 0, got {value}")]
    InvalidEta { name: &'static str, value: f64 },
    #[error("gaussian mutation sigma must be a finite number > 0 (a fraction of each parameter's range), got {0}")]
    InvalidSigma(f64),
    #[error("blend crossover alpha must be a finite number >= 0, got {0}")]
    InvalidAlpha(f64),
    #[error(
        "tournament size must be between 1 and population_size = {population_size}, got {size}"
    )]
    InvalidTournamentSize { size: usize, population_size: usize },
    #[error("rank selection pressure must be in [1, 2], got {0}")]
    InvalidRankPressure(f64),
    #[error("elitism must be less than population_size = {population_size}, got {elitism}")]
    ElitismTooLarge {
        elitism: usize,
        population_size: usize,
    },
    #[error("the search space is empty: give at least one parameter")]
    EmptySpace,
    #[error(
        "parameter {name:?}: the range high − low = {high:e} − {low:e} is not a finite number"
    )]
    RangeOverflow { name: String, low: f64, high: f64 },
    #[error("no objectives: give at least one direction")]
    NoObjectives,
    #[error("point {index}: {source}")]
    InvalidPoint { index: usize, source: SpaceError },
    #[error("individual {index} has {got} objective values but there are {expected} directions")]
    ObjectiveCount {
        index: usize,
        expected: usize,
        got: usize,
    },
    #[error("individual {index}: the constraint violation must be a number >= 0 (0 = feasible), got {value}")]
    InvalidViolation { index: usize, value: f64 },
    #[error("the pool has {points} point values, {values} objective values and {violations} violations: not rows of {d} parameters and {m} objectives")]
    PoolShape {
        points: usize,
        values: usize,
        violations: usize,
        d: usize,
        m: usize,
    },
    #[error(transparent)]
    Space(#[from] SpaceError),
    #[error("the GA engine is still running an advance() call: await it before the next step")]
    EngineBusy,
    #[error("advance: {values} values and {violations} violations for {children} children and {objectives} objectives")]
    AdvanceShape {
        values: usize,
        violations: usize,
        children: usize,
        objectives: usize,
    },
    #[error(
        "the GA engine's state was left inconsistent by an earlier failure; create a new engine"
    )]
    EnginePoisoned,
}
