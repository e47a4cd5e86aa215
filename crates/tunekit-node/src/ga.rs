//! Genetic algorithm: one generation per call, NSGA-II with several objectives.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::ga::{
    breed, diversity, pareto_front, Crossover, Direction, DiscreteCrossover, FlatPool,
    FloatCrossover, GaError, GaParams, Init, Mutation, Offspring, Pool, Selection,
};
use tunekit_core::space::Space;

use crate::error::coded;
use crate::space::{to_space, ParamSpec};

pub fn ga_error(e: GaError) -> napi::Error {
    let code = match e {
        GaError::InvalidPoint { .. }
        | GaError::ObjectiveCount { .. }
        | GaError::InvalidViolation { .. }
        | GaError::PoolShape { .. } => "INVALID_DATA",
        GaError::EmptySpace | GaError::RangeOverflow { .. } | GaError::Space(_) => "INVALID_SPACE",
        _ => "INVALID_PARAMETER",
    };
    coded(code, e)
}

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

fn unknown(what: &str, got: &str, expected: &str) -> napi::Error {
    coded(
        "INVALID_PARAMETER",
        format!("{what}: unknown kind {got:?} (expected {expected})"),
    )
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
        params.check().map_err(ga_error)?;
        Ok(params)
    }
}

fn directions(d: &[String]) -> Result<Vec<Direction>> {
    d.iter()
        .map(|s| match s.as_str() {
            "minimize" => Ok(Direction::Minimize),
            "maximize" => Ok(Direction::Maximize),
            other => Err(coded(
                "INVALID_PARAMETER",
                format!("direction {other:?}: expected \"minimize\" or \"maximize\""),
            )),
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

/// Everything one stateless generation needs, owned (for the thread pool).
pub struct GenerationTask {
    space: Space,
    params: GaParams,
    directions: Vec<Direction>,
    pool: FlatPool,
    generation: u32,
    n: u32,
}

/// The pool rows copied into a [`FlatPool`] (shapes checked).
fn flat_pool(
    d: usize,
    m: usize,
    points: &[f64],
    values: &[f64],
    violations: Option<&[f64]>,
) -> Result<FlatPool> {
    let mut pool = FlatPool::new(d, m);
    pool.extend(points, values, violations).map_err(ga_error)?;
    Ok(pool)
}

fn to_task(input: &GenerationInput) -> Result<GenerationTask> {
    let space = to_space(&input.space)?;
    let directions = directions(&input.directions)?;
    let pool = flat_pool(
        space.len(),
        directions.len(),
        &input.points,
        &input.values,
        input.violations.as_deref(),
    )?;
    Ok(GenerationTask {
        params: GaParams::try_from(&input.options)?,
        space,
        directions,
        pool,
        generation: input.generation,
        n: input.n,
    })
}

/// Breeds from a pool given by the caller (its points are checked).
fn breed_from(
    space: &Space,
    params: &GaParams,
    directions: &[Direction],
    pool: &FlatPool,
    generation: u32,
    n: u32,
) -> Result<Offspring> {
    breed(
        space,
        params,
        directions,
        pool,
        u64::from(generation),
        n as usize,
        false,
    )
    .map_err(ga_error)
}

/// What a generation hands to JavaScript, before conversion.
pub struct Handed {
    children: Vec<f64>,
    parents: Vec<u32>,
    diversity: f64,
}

fn handed(o: &Offspring) -> Handed {
    Handed {
        children: o.children().to_vec(),
        parents: o.parents().iter().map(|&i| i as u32).collect(),
        diversity: o.diversity(),
    }
}

fn output(h: Handed) -> GenerationOutput {
    GenerationOutput {
        children: Float64Array::new(h.children),
        parents: Uint32Array::new(h.parents),
        diversity: h.diversity,
    }
}

impl Task for GenerationTask {
    type Output = Offspring;
    type JsValue = GenerationOutput;

    fn compute(&mut self) -> Result<Self::Output> {
        breed_from(
            &self.space,
            &self.params,
            &self.directions,
            &self.pool,
            self.generation,
            self.n,
        )
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> Result<GenerationOutput> {
        Ok(output(handed(&out)))
    }
}

/// Proposes the next generation (value form, row-major) from the pool.
#[napi(ts_return_type = "Promise<GenerationOutput>")]
pub fn ga_propose_generation(input: GenerationInput) -> Result<AsyncTask<GenerationTask>> {
    Ok(AsyncTask::new(to_task(&input)?))
}

/// Synchronous twin of `gaProposeGeneration`.
#[napi]
pub fn ga_propose_generation_sync(input: GenerationInput) -> Result<GenerationOutput> {
    let mut task = to_task(&input)?;
    task.compute().map(|o| output(handed(&o)))
}

/// What an engine was built with: read by every call, shared with its tasks.
struct Setup {
    space: Space,
    params: GaParams,
    directions: Vec<Direction>,
}

impl Setup {
    fn breed(&self, pool: &FlatPool, generation: u32, n: u32) -> Result<Offspring> {
        breed_from(
            &self.space,
            &self.params,
            &self.directions,
            pool,
            generation,
            n,
        )
    }

    fn caller_pool(
        &self,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
    ) -> Result<FlatPool> {
        flat_pool(
            self.space.len(),
            self.directions.len(),
            points,
            values,
            violations,
        )
    }

    /// One step of a run kept in `run` (see `GaEngine::advance_sync`).
    fn advance(
        &self,
        run: &mut RunState,
        values: &[f64],
        violations: Option<&[f64]>,
        n: u32,
    ) -> Result<Handed> {
        let (d, m) = (self.space.len(), self.directions.len());
        let k = run.pending.children().len() / d.max(1);
        if values.len() != k * m || violations.is_some_and(|v| v.len() != k) {
            return Err(coded(
                "INVALID_DATA",
                format!(
                    "advance: {} values and {} violations for {k} children and {m} objectives",
                    values.len(),
                    violations.map_or(0, <[f64]>::len)
                ),
            ));
        }
        let kept = run.pool.len();
        run.pool
            .extend_offspring(&run.pending, values, violations)
            .map_err(ga_error)?;
        let bred = breed(
            &self.space,
            &self.params,
            &self.directions,
            &run.pool,
            u64::from(run.generation),
            n as usize,
            true,
        );
        let out = match bred {
            Ok(out) => out,
            Err(e) => {
                run.pool.truncate(kept);
                return Err(ga_error(e));
            }
        };
        // The parent population, in the order the stateless path builds its pool.
        run.pool.keep(out.parents());
        let to_js = handed(&out);
        run.pending = out;
        run.generation = run.generation.saturating_add(1);
        Ok(to_js)
    }
}

/// A run kept inside an engine: the parent population kept from the last
/// proposal (the children are appended once evaluated), the children waiting
/// for their values (with their encodings and fingerprints), and the next
/// generation number.
struct RunState {
    pool: FlatPool,
    pending: Offspring,
    generation: u32,
}

fn lock(run: &Mutex<RunState>) -> Result<MutexGuard<'_, RunState>> {
    run.lock().map_err(|_| {
        coded(
            "INTERNAL",
            "the GA engine's state was left inconsistent by an earlier failure; create a new engine",
        )
    })
}

/// Marks an engine's run as taken by an `advance` call until dropped.
struct Busy(Arc<AtomicBool>);

impl Busy {
    /// Takes the run, or says why not.
    fn take(flag: &Arc<AtomicBool>) -> Result<Busy> {
        flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map(|_| Busy(Arc::clone(flag)))
            .map_err(|_| busy())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn busy() -> napi::Error {
    coded(
        "INVALID_PARAMETER",
        "the GA engine is still running an advance() call: await it before the next step",
    )
}

/// `GaEngine.advance` off the event loop.
pub struct AdvanceTask {
    setup: Arc<Setup>,
    run: Arc<Mutex<RunState>>,
    values: Vec<f64>,
    violations: Option<Vec<f64>>,
    n: u32,
    /// Released when the task is done with (after its promise settles).
    _busy: Busy,
}

impl Task for AdvanceTask {
    type Output = Handed;
    type JsValue = GenerationOutput;

    fn compute(&mut self) -> Result<Self::Output> {
        let mut run = lock(&self.run)?;
        self.setup
            .advance(&mut run, &self.values, self.violations.as_deref(), self.n)
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> Result<GenerationOutput> {
        Ok(output(out))
    }
}

/// A validated space, GA settings and directions, converted once: each
/// generation then passes only the pool (`proposeSync`), or nothing but the
/// last children's results when the engine keeps the run (`advance`,
/// `advanceSync`).
#[napi]
pub struct GaEngine {
    setup: Arc<Setup>,
    run: Arc<Mutex<RunState>>,
    /// Set while an `advance` task holds the run: steps must not overlap.
    busy: Arc<AtomicBool>,
}

#[napi]
impl GaEngine {
    #[napi(constructor)]
    pub fn new(
        space: Vec<ParamSpec>,
        options: GaOptions,
        directions_: Vec<String>,
    ) -> Result<Self> {
        let space = to_space(&space)?;
        let directions = directions(&directions_)?;
        let pool = FlatPool::new(space.len(), directions.len());
        let setup = Setup {
            params: GaParams::try_from(&options)?,
            space,
            directions,
        };
        // Validates the space and settings together (an empty pool proposes nothing).
        setup.breed(&pool, 0, 0)?;
        Ok(GaEngine {
            setup: Arc::new(setup),
            run: Arc::new(Mutex::new(RunState {
                pool,
                pending: Offspring::default(),
                generation: 0,
            })),
            busy: Arc::new(AtomicBool::new(false)),
        })
    }

    /// `gaProposeGenerationSync` with this engine's space, settings and
    /// directions: a generation bred from the pool given (nothing of the
    /// engine cloned). The stateless reference `advanceSync` is tested against.
    #[napi]
    pub fn propose_sync(
        &self,
        points: Float64Array,
        values: Float64Array,
        violations: Option<Float64Array>,
        generation: u32,
        n: u32,
    ) -> Result<GenerationOutput> {
        let pool = self
            .setup
            .caller_pool(&points, &values, violations.as_deref())?;
        self.setup
            .breed(&pool, generation, n)
            .map(|o| output(handed(&o)))
    }

    /// One step of a run kept inside the engine: `values` (row-major,
    /// children × objectives) and `violations` are the results of the
    /// children of the previous call (empty on the first call); returns the
    /// next `n` children. The pool (the kept parent population plus those
    /// children) never crosses into JavaScript, and points the engine made
    /// itself are not checked again. Equal, call for call, to `proposeSync`
    /// given that pool. On an error the engine is left as it was, so the
    /// call can be repeated with corrected values.
    #[napi]
    pub fn advance_sync(
        &self,
        values: Float64Array,
        violations: Option<Float64Array>,
        n: u32,
    ) -> Result<GenerationOutput> {
        let _busy = Busy::take(&self.busy)?;
        let mut run = lock(&self.run)?;
        self.setup
            .advance(&mut run, &values, violations.as_deref(), n)
            .map(output)
    }

    /// `advanceSync` off the event loop, for large generations. Await each
    /// call before the next step: a step made while one is running is
    /// refused (`INVALID_PARAMETER`), as its values could not be matched to
    /// children.
    #[napi(ts_return_type = "Promise<GenerationOutput>")]
    pub fn advance(
        &self,
        values: Float64Array,
        violations: Option<Float64Array>,
        n: u32,
    ) -> Result<AsyncTask<AdvanceTask>> {
        Ok(AsyncTask::new(AdvanceTask {
            _busy: Busy::take(&self.busy)?,
            setup: Arc::clone(&self.setup),
            run: Arc::clone(&self.run),
            values: values.to_vec(),
            violations: violations.map(|v| v.to_vec()),
            n,
        }))
    }
}

/// Indices of the non-dominated rows of `values` (rows × directions).
#[napi]
pub fn ga_pareto_front(values: Float64Array, directions_: Vec<String>) -> Result<Uint32Array> {
    let dirs = directions(&directions_)?;
    let m = dirs.len().max(1);
    let rows: Vec<&[f64]> = values.chunks(m).collect();
    let front = pareto_front(&rows, &dirs).map_err(ga_error)?;
    Ok(Uint32Array::new(
        front.into_iter().map(|i| i as u32).collect(),
    ))
}

/// Mean spread of a population in the encoded unit cube (see the core's `diversity`).
#[napi]
pub fn ga_diversity(space: Vec<ParamSpec>, points: Float64Array) -> Result<f64> {
    let space = to_space(&space)?;
    let rows: Vec<&[f64]> = points.chunks(space.len().max(1)).collect();
    diversity(&rows, &space).map_err(ga_error)
}
