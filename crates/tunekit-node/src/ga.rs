//! Genetic algorithm: one generation per call, NSGA-II with several objectives.

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::ga::{
    diversity, pareto_front, propose_generation_and_parents, propose_generation_from, Crossover,
    Direction, DiscreteCrossover, FloatCrossover, GaError, GaParams, GenerationRequest, Individual,
    Init, Mutation, Selection,
};
use tunekit_core::space::Space;

use crate::error::coded;
use crate::space::{to_space, ParamSpec};

pub fn ga_error(e: GaError) -> napi::Error {
    let code = match e {
        GaError::InvalidPoint { .. }
        | GaError::ObjectiveCount { .. }
        | GaError::InvalidViolation { .. } => "INVALID_DATA",
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

pub struct GenerationTask {
    req: GenerationRequest,
}

/// The pool rows as core individuals.
fn pool(
    d: usize,
    m: usize,
    points: &[f64],
    values: &[f64],
    violations: Option<&[f64]>,
) -> Result<Vec<Individual>> {
    let rows = if d == 0 { 0 } else { points.len() / d };
    if rows * d != points.len() || (m > 0 && values.len() != rows * m) {
        return Err(coded(
            "INVALID_DATA",
            format!("the pool has {} point values and {} objective values: not {rows} rows of {d} parameters and {m} objectives", points.len(), values.len()),
        ));
    }
    Ok((0..rows)
        .map(|i| Individual {
            point: points[i * d..(i + 1) * d].to_vec(),
            values: values[i * m..(i + 1) * m].to_vec(),
            violation: violations.and_then(|v| v.get(i).copied()).unwrap_or(0.0),
        })
        .collect())
}

fn to_request(input: &GenerationInput) -> Result<GenerationRequest> {
    let space = to_space(&input.space)?;
    let dirs = directions(&input.directions)?;
    let evaluated = pool(
        space.len(),
        dirs.len(),
        &input.points,
        &input.values,
        input.violations.as_deref(),
    )?;
    Ok(GenerationRequest {
        space,
        params: GaParams::try_from(&input.options)?,
        directions: dirs,
        evaluated,
        generation: u64::from(input.generation),
        n: input.n as usize,
    })
}

type Generation = (Vec<f64>, Vec<u32>, f64);

fn run(req: &GenerationRequest) -> Result<Generation> {
    let (children, parents) = propose_generation_and_parents(req).map_err(ga_error)?;
    let spread = diversity(&children, &req.space).map_err(ga_error)?;
    Ok((
        children.concat(),
        parents.into_iter().map(|i| i as u32).collect(),
        spread,
    ))
}

fn output((children, parents, diversity): Generation) -> GenerationOutput {
    GenerationOutput {
        children: Float64Array::new(children),
        parents: Uint32Array::new(parents),
        diversity,
    }
}

impl Task for GenerationTask {
    type Output = Generation;
    type JsValue = GenerationOutput;

    fn compute(&mut self) -> Result<Self::Output> {
        run(&self.req)
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> Result<GenerationOutput> {
        Ok(output(out))
    }
}

/// Proposes the next generation (value form, row-major) from the pool.
#[napi(ts_return_type = "Promise<GenerationOutput>")]
pub fn ga_propose_generation(input: GenerationInput) -> Result<AsyncTask<GenerationTask>> {
    Ok(AsyncTask::new(GenerationTask {
        req: to_request(&input)?,
    }))
}

/// Synchronous twin of `gaProposeGeneration`.
#[napi]
pub fn ga_propose_generation_sync(input: GenerationInput) -> Result<GenerationOutput> {
    run(&to_request(&input)?).map(output)
}

/// A validated space, GA settings and directions, converted once: each
/// generation then passes only the pool (what a long run calls repeatedly).
#[napi]
pub struct GaEngine {
    space: Space,
    params: GaParams,
    directions: Vec<Direction>,
    /// For `advanceSync`: the parent population kept from the last proposal,
    /// the children waiting for their values, and the next generation number.
    parents: Vec<Individual>,
    pending: Vec<Vec<f64>>,
    generation: u32,
}

#[napi]
impl GaEngine {
    #[napi(constructor)]
    pub fn new(
        space: Vec<ParamSpec>,
        options: GaOptions,
        directions_: Vec<String>,
    ) -> Result<Self> {
        let engine = GaEngine {
            space: to_space(&space)?,
            params: GaParams::try_from(&options)?,
            directions: directions(&directions_)?,
            parents: Vec::new(),
            pending: Vec::new(),
            generation: 0,
        };
        // Validates the space and settings together (an empty pool proposes nothing).
        run(&engine.request(&[], &[], None, 0, 0)?)?;
        Ok(engine)
    }

    fn request(
        &self,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
        generation: u32,
        n: u32,
    ) -> Result<GenerationRequest> {
        Ok(GenerationRequest {
            space: self.space.clone(),
            params: self.params.clone(),
            directions: self.directions.clone(),
            evaluated: pool(
                self.space.len(),
                self.directions.len(),
                points,
                values,
                violations,
            )?,
            generation: u64::from(generation),
            n: n as usize,
        })
    }

    /// `gaProposeGeneration` with this engine's space, settings and directions.
    #[napi(ts_return_type = "Promise<GenerationOutput>")]
    pub fn propose(
        &self,
        points: Float64Array,
        values: Float64Array,
        violations: Option<Float64Array>,
        generation: u32,
        n: u32,
    ) -> Result<AsyncTask<GenerationTask>> {
        Ok(AsyncTask::new(GenerationTask {
            req: self.request(&points, &values, violations.as_deref(), generation, n)?,
        }))
    }

    /// One step of a run kept inside the engine: `values` (row-major,
    /// children × objectives) and `violations` are the results of the
    /// children of the previous call (empty on the first call); returns the
    /// next `n` children. The pool (the kept parent population plus those
    /// children) never crosses into JavaScript, and points the engine made
    /// itself are not copied or validated again. Equal, call for call, to
    /// `proposeSync` given that pool.
    #[napi]
    pub fn advance_sync(
        &mut self,
        values: Float64Array,
        violations: Option<Float64Array>,
        n: u32,
    ) -> Result<GenerationOutput> {
        let m = self.directions.len();
        let k = self.pending.len();
        if values.len() != k * m || violations.as_ref().is_some_and(|v| v.len() != k) {
            return Err(coded(
                "INVALID_DATA",
                format!(
                    "advance: {} values and {} violations for {k} children and {m} objectives",
                    values.len(),
                    violations.as_ref().map_or(0, |v| v.len())
                ),
            ));
        }
        let mut evaluated = std::mem::take(&mut self.parents);
        for (i, point) in std::mem::take(&mut self.pending).into_iter().enumerate() {
            evaluated.push(Individual {
                point,
                values: values.get(i * m..(i + 1) * m).unwrap_or_default().to_vec(),
                violation: violations
                    .as_ref()
                    .and_then(|v| v.get(i).copied())
                    .unwrap_or(0.0),
            });
        }
        let (children, parents) = propose_generation_from(
            &self.space,
            &self.params,
            &self.directions,
            &evaluated,
            u64::from(self.generation),
            n as usize,
        )
        .map_err(ga_error)?;
        let spread = diversity(&children, &self.space).map_err(ga_error)?;
        let keep: std::collections::HashSet<usize> = parents.iter().copied().collect();
        let mut kept: Vec<(usize, Individual)> = evaluated
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .collect();
        // The parent population in the order selection returned it (as the stateless path builds the pool).
        let order: std::collections::HashMap<usize, usize> = parents
            .iter()
            .enumerate()
            .map(|(rank, &i)| (i, rank))
            .collect();
        kept.sort_by_key(|(i, _)| order.get(i).copied().unwrap_or(usize::MAX));
        self.parents = kept.into_iter().map(|(_, ind)| ind).collect();
        let flat = children.concat();
        self.pending = children;
        self.generation = self.generation.saturating_add(1);
        Ok(output((
            flat,
            parents.into_iter().map(|i| i as u32).collect(),
            spread,
        )))
    }

    /// Synchronous twin of `propose`, for small generations (no thread-pool
    /// round trip, and nothing of the engine cloned).
    #[napi]
    pub fn propose_sync(
        &self,
        points: Float64Array,
        values: Float64Array,
        violations: Option<Float64Array>,
        generation: u32,
        n: u32,
    ) -> Result<GenerationOutput> {
        let evaluated = pool(
            self.space.len(),
            self.directions.len(),
            &points,
            &values,
            violations.as_deref(),
        )?;
        let (children, parents) = propose_generation_from(
            &self.space,
            &self.params,
            &self.directions,
            &evaluated,
            u64::from(generation),
            n as usize,
        )
        .map_err(ga_error)?;
        let spread = diversity(&children, &self.space).map_err(ga_error)?;
        Ok(output((
            children.concat(),
            parents.into_iter().map(|i| i as u32).collect(),
            spread,
        )))
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
