//! Genetic algorithm: the core's `GaEngine` (a run kept between generations)
//! and one stateless generation per call, NSGA-II with several objectives.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::ga::{
    self, pareto_front, Brood, Crossover, Direction, DiscreteCrossover, FloatCrossover, GaParams,
    Init, Mutation, Selection, Step,
};

use crate::error::{js, no_panic, Code, ConvertError};
use crate::space::{to_space, ParamSpec};

/// GA settings as the TypeScript layer sends them (already defaulted).
#[napi(object)]
#[derive(Clone)]
pub struct GaOptions {
    pub population_size: u32,
    /// `tournament` | `rank` | `roulette`
    pub selection: String,
    pub tournament_size: u32,
    pub rank_pressure: f64,
    /// `sbx` | `uniform` | `blend`
    pub crossover: String,
    pub crossover_eta: f64,
    pub blend_alpha: f64,
    /// `one_point` | `two_point` | `uniform`
    pub discrete_crossover: String,
    pub ints_as_floats: bool,
    pub crossover_prob: f64,
    /// `polynomial` | `gaussian` | `reset`
    pub mutation: String,
    pub mutation_eta: f64,
    pub mutation_sigma: f64,
    pub mutation_prob: Option<f64>,
    pub elitism: u32,
    pub avoid_duplicates: bool,
    /// `uniform` | `latin_hypercube` | `sobol`
    pub init: String,
    pub seed: u32,
}

fn unknown(what: &str, got: &str, expected: &'static str) -> napi::Error {
    js(ConvertError::Unsupported {
        what: what.to_owned(),
        got: got.to_owned(),
        expected,
        code: Code::InvalidParameter,
    })
}

impl TryFrom<&GaOptions> for GaParams {
    type Error = napi::Error;

    fn try_from(o: &GaOptions) -> Result<GaParams> {
        let selection = match o.selection.as_str() {
            "tournament" => Selection::Tournament {
                size: o.tournament_size as usize,
            },
            "rank" => Selection::Rank {
                pressure: o.rank_pressure,
            },
            "roulette" => Selection::Roulette,
            other => return Err(unknown("selection", other, "tournament, rank or roulette")),
        };
        let float = match o.crossover.as_str() {
            "sbx" => FloatCrossover::Sbx {
                eta: o.crossover_eta,
            },
            "uniform" => FloatCrossover::Uniform,
            "blend" => FloatCrossover::Blend {
                alpha: o.blend_alpha,
            },
            other => return Err(unknown("crossover", other, "sbx, uniform or blend")),
        };
        let discrete = match o.discrete_crossover.as_str() {
            "one_point" => DiscreteCrossover::OnePoint,
            "two_point" => DiscreteCrossover::TwoPoint,
            "uniform" => DiscreteCrossover::Uniform,
            other => {
                return Err(unknown(
                    "discreteCrossover",
                    other,
                    "one_point, two_point or uniform",
                ))
            }
        };
        let mutation = match o.mutation.as_str() {
            "polynomial" => Mutation::Polynomial {
                eta: o.mutation_eta,
            },
            "gaussian" => Mutation::Gaussian {
                sigma: o.mutation_sigma,
            },
            "reset" => Mutation::UniformReset,
            other => return Err(unknown("mutation", other, "polynomial, gaussian or reset")),
        };
        let init = match o.init.as_str() {
            "uniform" => Init::Uniform,
            "latin_hypercube" => Init::LatinHypercube,
            "sobol" => Init::Sobol,
            other => return Err(unknown("init", other, "uniform, latin_hypercube or sobol")),
        };
        let params = GaParams {
            population_size: o.population_size as usize,
            selection,
            crossover: Crossover {
                float,
                discrete,
                ints_as_floats: o.ints_as_floats,
            },
            crossover_prob: o.crossover_prob,
            mutation,
            mutation_prob: o.mutation_prob,
            elitism: o.elitism as usize,
            avoid_duplicates: o.avoid_duplicates,
            seed: u64::from(o.seed),
            init,
        };
        params.check().map_err(js)?;
        Ok(params)
    }
}

fn directions(d: &[String]) -> Result<Vec<Direction>> {
    d.iter()
        .map(|s| match s.as_str() {
            "minimize" => Ok(Direction::Minimize),
            "maximize" => Ok(Direction::Maximize),
            other => Err(unknown("direction", other, "minimize or maximize")),
        })
        .collect()
}

/// One generation's inputs: the pool to breed from, row-major.
#[napi(object)]
pub struct GenerationInput {
    pub space: Vec<ParamSpec>,
    pub options: GaOptions,
    pub directions: Vec<String>,
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

fn engine(space: &[ParamSpec], options: &GaOptions, dirs: &[String]) -> Result<ga::GaEngine> {
    ga::GaEngine::new(
        to_space(space)?,
        GaParams::try_from(options)?,
        directions(dirs)?,
    )
    .map_err(js)
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
    pub fn new(space: Vec<ParamSpec>, options: GaOptions, directions: Vec<String>) -> Result<Self> {
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
pub fn ga_pareto_front(values: Float64Array, directions_: Vec<String>) -> Result<Uint32Array> {
    let dirs = directions(&directions_)?;
    let m = dirs.len().max(1);
    let rows: Vec<&[f64]> = values.chunks(m).collect();
    let front = pareto_front(&rows, &dirs).map_err(js)?;
    Ok(Uint32Array::new(
        front.into_iter().map(|i| i as u32).collect(),
    ))
}
