//! Genetic algorithm: the core's `GaEngine` (a run kept between generations)
//! and one stateless generation per call, NSGA-II with several objectives.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::ga::{self, pareto_front, Brood, Step};

use crate::error::{js, no_panic};
use crate::space::{to_space, ParamSpec};

/// Whether an objective is minimised or maximised.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Minimize,
    Maximize,
}

impl From<Direction> for ga::Direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Minimize => ga::Direction::Minimize,
            Direction::Maximize => ga::Direction::Maximize,
        }
    }
}

/// How parents are chosen (core `Selection`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionKind {
    Tournament,
    Rank,
    Roulette,
}

impl From<SelectionKind> for ga::SelectionKind {
    fn from(k: SelectionKind) -> Self {
        match k {
            SelectionKind::Tournament => ga::SelectionKind::Tournament,
            SelectionKind::Rank => ga::SelectionKind::Rank,
            SelectionKind::Roulette => ga::SelectionKind::Roulette,
        }
    }
}

impl From<ga::SelectionKind> for SelectionKind {
    fn from(k: ga::SelectionKind) -> Self {
        match k {
            ga::SelectionKind::Tournament => SelectionKind::Tournament,
            ga::SelectionKind::Rank => SelectionKind::Rank,
            ga::SelectionKind::Roulette => SelectionKind::Roulette,
        }
    }
}

/// The crossover of float genes (core `FloatCrossover`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossoverKind {
    Sbx,
    Uniform,
    Blend,
}

impl From<CrossoverKind> for ga::FloatCrossoverKind {
    fn from(k: CrossoverKind) -> Self {
        match k {
            CrossoverKind::Sbx => ga::FloatCrossoverKind::Sbx,
            CrossoverKind::Uniform => ga::FloatCrossoverKind::Uniform,
            CrossoverKind::Blend => ga::FloatCrossoverKind::Blend,
        }
    }
}

impl From<ga::FloatCrossoverKind> for CrossoverKind {
    fn from(k: ga::FloatCrossoverKind) -> Self {
        match k {
            ga::FloatCrossoverKind::Sbx => CrossoverKind::Sbx,
            ga::FloatCrossoverKind::Uniform => CrossoverKind::Uniform,
            ga::FloatCrossoverKind::Blend => CrossoverKind::Blend,
        }
    }
}

/// The crossover of integer and categorical genes (core `DiscreteCrossover`).
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscreteCrossover {
    OnePoint,
    TwoPoint,
    Uniform,
}

impl From<DiscreteCrossover> for ga::DiscreteCrossover {
    fn from(k: DiscreteCrossover) -> Self {
        match k {
            DiscreteCrossover::OnePoint => ga::DiscreteCrossover::OnePoint,
            DiscreteCrossover::TwoPoint => ga::DiscreteCrossover::TwoPoint,
            DiscreteCrossover::Uniform => ga::DiscreteCrossover::Uniform,
        }
    }
}

impl From<ga::DiscreteCrossover> for DiscreteCrossover {
    fn from(k: ga::DiscreteCrossover) -> Self {
        match k {
            ga::DiscreteCrossover::OnePoint => DiscreteCrossover::OnePoint,
            ga::DiscreteCrossover::TwoPoint => DiscreteCrossover::TwoPoint,
            ga::DiscreteCrossover::Uniform => DiscreteCrossover::Uniform,
        }
    }
}

/// The mutation of numerical genes (core `Mutation`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MutationKind {
    Polynomial,
    Gaussian,
    Reset,
}

impl From<MutationKind> for ga::MutationKind {
    fn from(k: MutationKind) -> Self {
        match k {
            MutationKind::Polynomial => ga::MutationKind::Polynomial,
            MutationKind::Gaussian => ga::MutationKind::Gaussian,
            MutationKind::Reset => ga::MutationKind::UniformReset,
        }
    }
}

impl From<ga::MutationKind> for MutationKind {
    fn from(k: ga::MutationKind) -> Self {
        match k {
            ga::MutationKind::Polynomial => MutationKind::Polynomial,
            ga::MutationKind::Gaussian => MutationKind::Gaussian,
            ga::MutationKind::UniformReset => MutationKind::Reset,
        }
    }
}

/// How the initial population is drawn (core `Init`).
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitKind {
    Uniform,
    LatinHypercube,
    Sobol,
}

impl From<InitKind> for ga::Init {
    fn from(k: InitKind) -> Self {
        match k {
            InitKind::Uniform => ga::Init::Uniform,
            InitKind::LatinHypercube => ga::Init::LatinHypercube,
            InitKind::Sobol => ga::Init::Sobol,
        }
    }
}

impl From<ga::Init> for InitKind {
    fn from(k: ga::Init) -> Self {
        match k {
            ga::Init::Uniform => InitKind::Uniform,
            ga::Init::LatinHypercube => InitKind::LatinHypercube,
            ga::Init::Sobol => InitKind::Sobol,
        }
    }
}

/// GA settings; any left out takes the core's default for the number of
/// objectives (core `GaOptions`, `GaSettings::defaults`).
#[napi(object)]
#[derive(Clone, Default)]
pub struct GaOptions {
    pub population_size: Option<u32>,
    pub selection: Option<SelectionKind>,
    pub tournament_size: Option<u32>,
    pub rank_pressure: Option<f64>,
    pub crossover: Option<CrossoverKind>,
    pub crossover_eta: Option<f64>,
    pub blend_alpha: Option<f64>,
    pub discrete_crossover: Option<DiscreteCrossover>,
    pub ints_as_floats: Option<bool>,
    pub crossover_prob: Option<f64>,
    pub mutation: Option<MutationKind>,
    pub mutation_eta: Option<f64>,
    pub mutation_sigma: Option<f64>,
    /// per gene; left out, 1 / number of genes
    pub mutation_prob: Option<f64>,
    pub elitism: Option<u32>,
    pub avoid_duplicates: Option<bool>,
    pub init: Option<InitKind>,
    pub seed: Option<u32>,
}

impl From<&GaOptions> for ga::GaOptions {
    fn from(o: &GaOptions) -> Self {
        let size = |v: Option<u32>| v.map(|v| v as usize);
        ga::GaOptions {
            population_size: size(o.population_size),
            selection: o.selection.map(Into::into),
            tournament_size: size(o.tournament_size),
            rank_pressure: o.rank_pressure,
            crossover: o.crossover.map(Into::into),
            crossover_eta: o.crossover_eta,
            blend_alpha: o.blend_alpha,
            discrete_crossover: o.discrete_crossover.map(Into::into),
            ints_as_floats: o.ints_as_floats,
            crossover_prob: o.crossover_prob,
            mutation: o.mutation.map(Into::into),
            mutation_eta: o.mutation_eta,
            mutation_sigma: o.mutation_sigma,
            mutation_prob: o.mutation_prob,
            elitism: size(o.elitism),
            avoid_duplicates: o.avoid_duplicates,
            init: o.init.map(Into::into),
            seed: o.seed.map(u64::from),
        }
    }
}

/// Every GA setting, as the core fills them in (core `GaSettings`).
#[napi(object)]
pub struct GaSettings {
    pub population_size: u32,
    pub selection: SelectionKind,
    pub tournament_size: u32,
    pub rank_pressure: f64,
    pub crossover: CrossoverKind,
    pub crossover_eta: f64,
    pub blend_alpha: f64,
    pub discrete_crossover: DiscreteCrossover,
    pub ints_as_floats: bool,
    pub crossover_prob: f64,
    pub mutation: MutationKind,
    pub mutation_eta: f64,
    pub mutation_sigma: f64,
    /// per gene; absent: 1 / number of genes
    pub mutation_prob: Option<f64>,
    pub elitism: u32,
    pub avoid_duplicates: bool,
    pub init: InitKind,
    pub seed: u32,
}

/// A count or seed back to JavaScript (every one came from a `u32` or a default).
fn to_u32<T: TryInto<u32>>(v: T) -> u32 {
    v.try_into().unwrap_or(u32::MAX)
}

impl From<ga::GaSettings> for GaSettings {
    fn from(s: ga::GaSettings) -> Self {
        GaSettings {
            population_size: to_u32(s.population_size),
            selection: s.selection.into(),
            tournament_size: to_u32(s.tournament_size),
            rank_pressure: s.rank_pressure,
            crossover: s.crossover.into(),
            crossover_eta: s.crossover_eta,
            blend_alpha: s.blend_alpha,
            discrete_crossover: s.discrete_crossover.into(),
            ints_as_floats: s.ints_as_floats,
            crossover_prob: s.crossover_prob,
            mutation: s.mutation.into(),
            mutation_eta: s.mutation_eta,
            mutation_sigma: s.mutation_sigma,
            mutation_prob: s.mutation_prob,
            elitism: to_u32(s.elitism),
            avoid_duplicates: s.avoid_duplicates,
            init: s.init.into(),
            seed: to_u32(s.seed),
        }
    }
}

/// The settings a GA on `nObjectives` objectives runs with: `options` as
/// given, the rest the core's defaults (one objective: population 30,
/// tournaments of 3, elitism 2; several: population 50, binary tournaments).
/// Checked (throws `[INVALID_PARAMETER] …`).
#[napi(catch_unwind)]
pub fn ga_settings(options: Option<GaOptions>, n_objectives: u32) -> Result<GaSettings> {
    let o = ga::GaOptions::from(&options.unwrap_or_default());
    let m = n_objectives as usize;
    o.resolve(m).map_err(js)?;
    Ok(o.filled(m).into())
}

fn directions(d: &[Direction]) -> Vec<ga::Direction> {
    d.iter().map(|&d| d.into()).collect()
}

/// One generation's inputs: the pool to breed from, row-major.
#[napi(object)]
pub struct GenerationInput {
    pub space: Vec<ParamSpec>,
    pub options: GaOptions,
    pub directions: Vec<Direction>,
    /// pool points, value form, row-major (rows × parameters)
    pub points: Float64Array,
    /// pool objective values, row-major (rows × objectives); NaN = failed
    pub values: Float64Array,
    /// pool constraint violations (0 = feasible); all feasible when absent
    pub violations: Option<Float64Array>,
    pub generation: u32,
    pub n: u32,
}

/// The children of one generation, the indices of the pool's parent
/// population, and the children's diversity (core `diversity`).
#[napi(object)]
pub struct GenerationOutput {
    pub children: Float64Array,
    pub parents: Uint32Array,
    pub diversity: f64,
}

impl From<Brood> for GenerationOutput {
    fn from(b: Brood) -> Self {
        GenerationOutput {
            children: Float64Array::new(b.children),
            parents: Uint32Array::new(b.parents.into_iter().map(|i| i as u32).collect()),
            diversity: b.diversity,
        }
    }
}

fn engine(space: &[ParamSpec], options: &GaOptions, dirs: &[Direction]) -> Result<ga::GaEngine> {
    let params = ga::GaOptions::from(options)
        .resolve(dirs.len())
        .map_err(js)?;
    ga::GaEngine::new(to_space(space)?, params, directions(dirs)).map_err(js)
}

/// A generation bred from a pool given by the caller (its points are checked).
fn propose(
    engine: &ga::GaEngine,
    points: &[f64],
    values: &[f64],
    violations: Option<&[f64]>,
    generation: u32,
    n: u32,
) -> Result<GenerationOutput> {
    let pool = engine.pool(points, values, violations).map_err(js)?;
    let out = engine
        .propose(&pool, u64::from(generation), n as usize)
        .map_err(js)?;
    Ok(Brood::from(&out).into())
}

/// Proposes the next generation (value form, row-major) from the pool.
#[napi(catch_unwind)]
pub fn ga_propose_generation_sync(input: GenerationInput) -> Result<GenerationOutput> {
    let e = engine(&input.space, &input.options, &input.directions)?;
    propose(
        &e,
        &input.points,
        &input.values,
        input.violations.as_deref(),
        input.generation,
        input.n,
    )
}

/// `GaEngine.advance` off the event loop: the step (the run, taken when the
/// call was made) is given back when the task is done with, after its
/// promise settles.
pub struct AdvanceTask {
    step: Step,
    values: Vec<f64>,
    violations: Option<Vec<f64>>,
    n: u32,
}

impl Task for AdvanceTask {
    type Output = Brood;
    type JsValue = GenerationOutput;

    fn compute(&mut self) -> Result<Brood> {
        no_panic(|| {
            self.step
                .advance(&self.values, self.violations.as_deref(), self.n as usize)
                .map_err(js)
        })
    }

    fn resolve(&mut self, _env: Env, out: Brood) -> Result<GenerationOutput> {
        Ok(out.into())
    }
}

/// A validated space, GA settings and directions, converted once: each
/// generation then passes only the pool (`proposeSync`), or nothing but the
/// last children's results when the engine keeps the run (`advance`,
/// `advanceSync`). The core's `GaEngine`.
#[napi]
pub struct GaEngine {
    inner: Arc<ga::GaEngine>,
}

#[napi]
impl GaEngine {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        space: Vec<ParamSpec>,
        options: GaOptions,
        directions: Vec<Direction>,
    ) -> Result<Self> {
        Ok(GaEngine {
            inner: Arc::new(engine(&space, &options, &directions)?),
        })
    }

    /// `gaProposeGenerationSync` with this engine's space, settings and
    /// directions: a generation bred from the pool given (nothing of the
    /// engine cloned). The stateless reference `advanceSync` is tested against.
    #[napi(catch_unwind)]
    pub fn propose_sync(
        &self,
        points: Float64Array,
        values: Float64Array,
        violations: Option<Float64Array>,
        generation: u32,
        n: u32,
    ) -> Result<GenerationOutput> {
        propose(
            &self.inner,
            &points,
            &values,
            violations.as_deref(),
            generation,
            n,
        )
    }

    /// One step of a run kept inside the engine: `values` (row-major,
    /// children × objectives) and `violations` are the results of the
    /// children of the previous call (empty on the first call); returns the
    /// next `n` children. The pool (the kept parent population plus those
    /// children) never crosses into JavaScript, and points the engine made
    /// itself are not checked again. Equal, call for call, to `proposeSync`
    /// given that pool. On an error the engine is left as it was, so the
    /// call can be repeated with corrected values.
    #[napi(catch_unwind)]
    pub fn advance_sync(
        &self,
        values: Float64Array,
        violations: Option<Float64Array>,
        n: u32,
    ) -> Result<GenerationOutput> {
        self.inner
            .advance(&values, violations.as_deref(), n as usize)
            .map(GenerationOutput::from)
            .map_err(js)
    }

    /// `advanceSync` off the event loop, for large generations. Await each
    /// call before the next step: a step made while one is running is
    /// refused (`INVALID_PARAMETER`), as its values could not be matched to
    /// children.
    #[napi(catch_unwind, ts_return_type = "Promise<GenerationOutput>")]
    pub fn advance(
        &self,
        values: Float64Array,
        violations: Option<Float64Array>,
        n: u32,
    ) -> Result<AsyncTask<AdvanceTask>> {
        Ok(AsyncTask::new(AdvanceTask {
            step: self.inner.step().map_err(js)?,
            values: values.to_vec(),
            violations: violations.map(|v| v.to_vec()),
            n,
        }))
    }
}

/// Indices of the non-dominated rows of `values` (rows × directions).
#[napi(catch_unwind)]
pub fn ga_pareto_front(values: Float64Array, directions_: Vec<Direction>) -> Result<Uint32Array> {
    let dirs = directions(&directions_);
    let m = dirs.len().max(1);
    let rows: Vec<&[f64]> = values.chunks(m).collect();
    let front = pareto_front(&rows, &dirs).map_err(js)?;
    Ok(Uint32Array::new(
        front.into_iter().map(|i| i as u32).collect(),
    ))
}
