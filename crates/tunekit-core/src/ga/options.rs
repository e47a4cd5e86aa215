//! The GA's settings as callers give them ([`GaOptions`], every field
//! optional) and in full ([`GaSettings`], flat), and the one definition of
//! their defaults ([`GaSettings::defaults`]).

use super::error::GaError;
use super::params::{
    Crossover, DiscreteCrossover, FloatCrossover, FloatCrossoverKind, GaParams, Init, Mutation,
    MutationKind, Selection, SelectionKind,
};

/// Every GA setting in flat form (an operator's kind and, apart, the
/// settings of every kind), all set: what [`GaOptions::filled`] returns and
/// what [`GaSettings::params`] turns into [`GaParams`]. The settings of the
/// kinds not chosen are kept (their defaults unless given) and ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct GaSettings {
    pub population_size: usize,
    pub selection: SelectionKind,
    pub tournament_size: usize,
    pub rank_pressure: f64,
    pub crossover: FloatCrossoverKind,
    pub crossover_eta: f64,
    pub blend_alpha: f64,
    pub discrete_crossover: DiscreteCrossover,
    pub ints_as_floats: bool,
    pub crossover_prob: f64,
    pub mutation: MutationKind,
    pub mutation_eta: f64,
    pub mutation_sigma: f64,
    /// `None` = 1 / number of genes.
    pub mutation_prob: Option<f64>,
    pub elitism: usize,
    pub avoid_duplicates: bool,
    pub init: Init,
    pub seed: u64,
}

impl GaSettings {
    /// The defaults for `n_objectives` objectives, the one place they are
    /// written (see [`GaParams`] for where they come from). One objective
    /// (or none): population 30, tournaments of 3, elitism 2. Several
    /// (NSGA-II): population 50, binary tournaments, elitism 1 (ignored by
    /// NSGA-II). Both: SBX η 15 with probability 0.9 (BLX-α 0.5 when blend
    /// is chosen), uniform exchange of discrete genes, polynomial mutation
    /// η 20 with probability 1/n per gene (Gaussian σ 0.1 when chosen), rank
    /// pressure 1.5 when rank selection is chosen, duplicates avoided,
    /// uniform initial points, seed 0.
    pub fn defaults(n_objectives: usize) -> Self {
        let several = n_objectives > 1;
        Self {
            population_size: if several { 50 } else { 30 },
            selection: SelectionKind::Tournament,
            tournament_size: if several { 2 } else { 3 },
            rank_pressure: 1.5,
            crossover: FloatCrossoverKind::Sbx,
            crossover_eta: 15.0,
            blend_alpha: 0.5,
            discrete_crossover: DiscreteCrossover::Uniform,
            ints_as_floats: false,
            crossover_prob: 0.9,
            mutation: MutationKind::Polynomial,
            mutation_eta: 20.0,
            mutation_sigma: 0.1,
            mutation_prob: None,
            elitism: if several { 1 } else { 2 },
            avoid_duplicates: true,
            init: Init::Uniform,
            seed: 0,
        }
    }

    /// The [`GaParams`] these settings describe (not checked: see
    /// [`GaParams::check`]).
    pub fn params(&self) -> GaParams {
        GaParams {
            population_size: self.population_size,
            selection: match self.selection {
                SelectionKind::Tournament => Selection::Tournament {
                    size: self.tournament_size,
                },
                SelectionKind::Rank => Selection::Rank {
                    pressure: self.rank_pressure,
                },
                SelectionKind::Roulette => Selection::Roulette,
            },
            crossover: Crossover {
                float: match self.crossover {
                    FloatCrossoverKind::Sbx => FloatCrossover::Sbx {
                        eta: self.crossover_eta,
                    },
                    FloatCrossoverKind::Uniform => FloatCrossover::Uniform,
                    FloatCrossoverKind::Blend => FloatCrossover::Blend {
                        alpha: self.blend_alpha,
                    },
                },
                discrete: self.discrete_crossover,
                ints_as_floats: self.ints_as_floats,
            },
            crossover_prob: self.crossover_prob,
            mutation: match self.mutation {
                MutationKind::Polynomial => Mutation::Polynomial {
                    eta: self.mutation_eta,
                },
                MutationKind::Gaussian => Mutation::Gaussian {
                    sigma: self.mutation_sigma,
                },
                MutationKind::UniformReset => Mutation::UniformReset,
            },
            mutation_prob: self.mutation_prob,
            elitism: self.elitism,
            avoid_duplicates: self.avoid_duplicates,
            seed: self.seed,
            init: self.init,
        }
    }
}

/// The GA's settings as a caller gives them: any field left `None` takes
/// its default for the number of objectives ([`GaSettings::defaults`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GaOptions {
    pub population_size: Option<usize>,
    pub selection: Option<SelectionKind>,
    pub tournament_size: Option<usize>,
    pub rank_pressure: Option<f64>,
    pub crossover: Option<FloatCrossoverKind>,
    pub crossover_eta: Option<f64>,
    pub blend_alpha: Option<f64>,
    pub discrete_crossover: Option<DiscreteCrossover>,
    pub ints_as_floats: Option<bool>,
    pub crossover_prob: Option<f64>,
    pub mutation: Option<MutationKind>,
    pub mutation_eta: Option<f64>,
    pub mutation_sigma: Option<f64>,
    /// Left out: 1 / number of genes.
    pub mutation_prob: Option<f64>,
    pub elitism: Option<usize>,
    pub avoid_duplicates: Option<bool>,
    pub init: Option<Init>,
    pub seed: Option<u64>,
}

impl GaOptions {
    /// Every setting, the ones left out taken from the defaults for
    /// `n_objectives` objectives. A default tournament size and a default
    /// elitism fit the population given (at most `population_size` and
    /// below it); sizes given are kept as given, for
    /// [`GaParams::check`] to judge.
    pub fn filled(&self, n_objectives: usize) -> GaSettings {
        let d = GaSettings::defaults(n_objectives);
        let population_size = self.population_size.unwrap_or(d.population_size);
        GaSettings {
            population_size,
            selection: self.selection.unwrap_or(d.selection),
            tournament_size: self
                .tournament_size
                .unwrap_or(d.tournament_size.min(population_size)),
            rank_pressure: self.rank_pressure.unwrap_or(d.rank_pressure),
            crossover: self.crossover.unwrap_or(d.crossover),
            crossover_eta: self.crossover_eta.unwrap_or(d.crossover_eta),
            blend_alpha: self.blend_alpha.unwrap_or(d.blend_alpha),
            discrete_crossover: self.discrete_crossover.unwrap_or(d.discrete_crossover),
            ints_as_floats: self.ints_as_floats.unwrap_or(d.ints_as_floats),
            crossover_prob: self.crossover_prob.unwrap_or(d.crossover_prob),
            mutation: self.mutation.unwrap_or(d.mutation),
            mutation_eta: self.mutation_eta.unwrap_or(d.mutation_eta),
            mutation_sigma: self.mutation_sigma.unwrap_or(d.mutation_sigma),
            mutation_prob: self.mutation_prob.or(d.mutation_prob),
            elitism: self
                .elitism
                .unwrap_or(d.elitism.min(population_size.saturating_sub(1))),
            avoid_duplicates: self.avoid_duplicates.unwrap_or(d.avoid_duplicates),
            init: self.init.unwrap_or(d.init),
            seed: self.seed.unwrap_or(d.seed),
        }
    }

    /// The checked [`GaParams`] for `n_objectives` objectives.
    pub fn resolve(&self, n_objectives: usize) -> Result<GaParams, GaError> {
        let params = self.filled(n_objectives).params();
        params.check()?;
        Ok(params)
    }
}
