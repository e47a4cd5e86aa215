//! GA settings, validated by [`GaParams::check`].

use super::error::GaError;
use super::options::GaSettings;

/// How parents are chosen from the parent population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    /// The best of `size` members. Tournaments are drawn without replacement:
    /// their contestants are consecutive entries of shuffled copies of the
    /// population, so each member enters `size` of every `population_size`
    /// tournaments (Goldberg & Deb 1991; Deb's NSGA-II code, pymoo).
    /// "Best": with several objectives, two feasible members compare by Pareto
    /// dominance and, when neither dominates, by the larger crowding distance
    /// (Deb's NSGA-II code; `size: 2` is NSGA-II's crowded binary tournament);
    /// otherwise by rank (objective value, or feasibility then violation, or
    /// front). Ties go to the earlier contestant, i.e. at random. A population
    /// smaller than `size` holds the tournament among all its members.
    Tournament { size: usize },
    /// Linear ranking (Baker 1985): the best member gets weight `pressure`,
    /// the worst `2 − pressure`, linearly in between; members that compare
    /// equal share their weights. `pressure` in [1, 2]: 1 = uniform, 2 = the
    /// worst is never chosen.
    Rank { pressure: f64 },
    /// Fitness-proportional (roulette wheel) with windowing: the weight of a
    /// member is its goodness minus the worst goodness, so negative values
    /// are fine and the worst member is not chosen. Goodness is the objective
    /// (negated when minimising) of feasible members with a number; when there
    /// are none, infeasible members compete on −violation; members left out
    /// (failed evaluations, or infeasible ones while feasible ones exist) get
    /// weight 0. Infinitely good members share the wheel; if every weight is 0
    /// (all equal) the choice is uniform among the eligible members. With
    /// several objectives the goodness is −(front index).
    Roulette,
}

/// Crossover of float genes (including stepped floats), done in the encoded
/// unit interval (log scale in log space) and decoded afterwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatCrossover {
    /// Simulated binary crossover (Deb & Agrawal 1995), bounded form of Deb's
    /// NSGA-II code: each gene crossed with probability 1/2, children swapped
    /// with probability 1/2. Larger `eta` keeps children nearer their parents.
    Sbx { eta: f64 },
    /// Each gene swapped between the children with probability 1/2.
    Uniform,
    /// BLX-α (Eshelman & Schaffer 1993): each child gene uniform in
    /// `[min − α·d, max + α·d]`, `d = |a − b|`, clipped to the bounds.
    Blend { alpha: f64 },
}

/// Crossover of integer and categorical genes (gene exchange; values are
/// never invented, so they stay valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscreteCrossover {
    /// One cut among the discrete genes, tails exchanged.
    OnePoint,
    /// Two cuts among the discrete genes, the middle segment exchanged.
    TwoPoint,
    /// Each discrete gene exchanged with probability 1/2.
    Uniform,
}

/// The crossover of one pair of parents: float genes by `float`, integer and
/// categorical genes by `discrete` (integers by `float` instead when
/// `ints_as_floats`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossover {
    pub float: FloatCrossover,
    pub discrete: DiscreteCrossover,
    pub ints_as_floats: bool,
}

impl Default for Crossover {
    /// The crossover of the defaults ([`GaSettings::defaults`](super::GaSettings::defaults)):
    /// SBX with η = 15 (pymoo's NSGA2 default), uniform exchange of discrete genes.
    fn default() -> Self {
        GaSettings::defaults(1).params().crossover
    }
}

/// Mutation of numerical genes (floats and integers), done in the encoded unit
/// interval and decoded afterwards. Categorical genes are always resampled
/// uniformly among the *other* categories. A discrete gene (integer or stepped
/// float) whose mutation would round back to its old value moves one step in
/// the direction of the perturbation instead, so mutations of integers are
/// never silently lost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mutation {
    /// Polynomial mutation (Deb & Goyal 1996), bounded form of Deb's NSGA-II code.
    Polynomial { eta: f64 },
    /// Add N(0, sigma²), `sigma` a fraction of the parameter's (encoded) range; clipped.
    Gaussian { sigma: f64 },
    /// Draw the gene anew, uniformly over its (encoded) range.
    UniformReset,
}

/// How the initial population is drawn (in the encoded unit cube, then decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Init {
    /// Independent uniform points.
    #[default]
    Uniform,
    /// Latin hypercube: each parameter's range cut into `n` equal strata, one
    /// point in each, strata paired at random across parameters.
    LatinHypercube,
    /// Owen-scrambled Sobol points (Burley 2020, `sobol_burley`).
    Sobol,
}

/// The kind of a [`Selection`], without its setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionKind {
    Tournament,
    Rank,
    Roulette,
}

/// The kind of a [`FloatCrossover`], without its setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatCrossoverKind {
    Sbx,
    Uniform,
    Blend,
}

/// The kind of a [`Mutation`], without its setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MutationKind {
    Polynomial,
    Gaussian,
    UniformReset,
}

/// The GA's settings, validated by [`check`](Self::check).
///
/// The defaults depend on the number of objectives
/// ([`for_objectives`](Self::for_objectives); their one definition is
/// [`GaSettings::defaults`](super::GaSettings::defaults)). Both share pymoo's
/// NSGA2 operators (SBX η = 15 with probability 0.9, polynomial mutation
/// η = 20 with probability 1/n per gene) and uniform initial points:
///
/// - one objective ([`single_objective`](Self::single_objective)):
///   population 30, tournaments of 3, the best 2 always breed (chosen by
///   `bench/ga_defaults.mjs`, measured in `docs/benchmarks.md`);
/// - several objectives ([`nsga2`](Self::nsga2)): NSGA-II's crowded binary
///   tournament with Optuna's population of 50 (elitism 1, which NSGA-II,
///   elitist by its environmental selection, ignores).
#[derive(Debug, Clone, PartialEq)]
pub struct GaParams {
    /// Size of the parent population (≥ 2).
    pub population_size: usize,
    pub selection: Selection,
    pub crossover: Crossover,
    /// Probability that a pair of parents is crossed (else copied).
    pub crossover_prob: f64,
    pub mutation: Mutation,
    /// Per-gene mutation probability; `None` = 1 / number of genes.
    pub mutation_prob: Option<f64>,
    /// Single objective only: the best `elitism` individuals ever evaluated
    /// always belong to the parent population (must be < `population_size`).
    /// NSGA-II is elitist by its environmental selection and ignores it.
    pub elitism: usize,
    /// Children identical to an evaluated point or to an earlier child are
    /// bred again (up to 16 tries), as pymoo does by default.
    pub avoid_duplicates: bool,
    pub seed: u64,
    pub init: Init,
}

impl GaParams {
    /// The defaults for `n_objectives` objectives: [`nsga2`](Self::nsga2)
    /// with several, [`single_objective`](Self::single_objective) otherwise.
    pub fn for_objectives(n_objectives: usize) -> Self {
        GaSettings::defaults(n_objectives).params()
    }

    /// The defaults for one objective: population 30, tournaments of 3, elitism 2.
    pub fn single_objective() -> Self {
        Self::for_objectives(1)
    }

    /// The defaults for several objectives (NSGA-II): population 50, binary
    /// tournaments, elitism 1 (ignored).
    pub fn nsga2() -> Self {
        Self::for_objectives(2)
    }
}

fn probability(name: &'static str, value: f64) -> Result<(), GaError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(GaError::InvalidProbability { name, value })
    }
}

fn eta(name: &'static str, value: f64) -> Result<(), GaError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(GaError::InvalidEta { name, value })
    }
}

impl GaParams {
    /// Checks every setting; the error names the first bad value.
    pub fn check(&self) -> Result<(), GaError> {
        let pop = self.population_size;
        if pop < 2 {
            return Err(GaError::PopulationTooSmall(pop));
        }
        match self.selection {
            Selection::Tournament { size } if size == 0 || size > pop => {
                return Err(GaError::InvalidTournamentSize {
                    size,
                    population_size: pop,
                })
            }
            Selection::Rank { pressure } if !(1.0..=2.0).contains(&pressure) => {
                return Err(GaError::InvalidRankPressure(pressure))
            }
            _ => {}
        }
        match self.crossover.float {
            FloatCrossover::Sbx { eta: e } => eta("SBX eta", e)?,
            FloatCrossover::Blend { alpha } if !(alpha.is_finite() && alpha >= 0.0) => {
                return Err(GaError::InvalidAlpha(alpha))
            }
            _ => {}
        }
        probability("crossover_prob", self.crossover_prob)?;
        match self.mutation {
            Mutation::Polynomial { eta: e } => eta("polynomial mutation eta", e)?,
            Mutation::Gaussian { sigma } if !(sigma.is_finite() && sigma > 0.0) => {
                return Err(GaError::InvalidSigma(sigma))
            }
            _ => {}
        }
        if let Some(p) = self.mutation_prob {
            probability("mutation_prob", p)?;
        }
        if self.elitism >= pop {
            return Err(GaError::ElitismTooLarge {
                elitism: self.elitism,
                population_size: pop,
            });
        }
        Ok(())
    }
}
