//! [`GaEngine`]: a space, settings and directions validated once, and a run
//! kept between generations, stepped by whoever evaluates the children.
//!
//! The engine is the stateful twin of [`breed`]: each
//! [`advance`](Step::advance) appends the last children (with the results the
//! caller measured) to the kept parent population and breeds the next
//! generation from that pool, so only children and their results cross
//! between the engine and its caller. Call for call it equals [`breed`] on
//! the same pool ([`GaEngine::propose`], the stateless reference): the pool
//! is kept in the order the stateless caller would build it (the parent
//! population in pool order, then the children).
//!
//! A run is advanced by one [`Step`] at a time: [`GaEngine::step`] takes the
//! run and the step gives it back when dropped, so two steps cannot overlap
//! (their results could not be matched to children) and a step can be held
//! while its work runs on another thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::space::Space;

use super::error::GaError;
use super::generation::{breed, Offspring};
use super::individual::Direction;
use super::params::GaParams;
use super::pool::{FlatPool, Pool};

/// One generation as the engine hands it out: the children in value form
/// (row-major, children × parameters), the parent population they were bred
/// from (indices into the pool, ascending) and the children's
/// [`diversity`](super::diversity).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Brood {
    pub children: Vec<f64>,
    pub parents: Vec<usize>,
    pub diversity: f64,
}

impl From<&Offspring> for Brood {
    fn from(o: &Offspring) -> Self {
        Self {
            children: o.children().to_vec(),
            parents: o.parents().to_vec(),
            diversity: o.diversity(),
        }
    }
}

/// The run an engine keeps: the parent population kept from the last
/// proposal (the children are appended once evaluated), the children waiting
/// for their results (with their encodings and fingerprints), and the next
/// generation number.
#[derive(Debug)]
struct RunState {
    pool: FlatPool,
    pending: Offspring,
    generation: u64,
}

/// A validated space, GA settings and directions, and the run kept between
/// generations (see the [module docs](self)).
#[derive(Debug)]
pub struct GaEngine {
    space: Space,
    params: GaParams,
    directions: Vec<Direction>,
    run: Mutex<RunState>,
    /// Set while a [`Step`] holds the run.
    busy: AtomicBool,
}

impl GaEngine {
    /// Checks the settings, the space and the directions together (as a
    /// generation would) and starts an empty run.
    pub fn new(
        space: Space,
        params: GaParams,
        directions: Vec<Direction>,
    ) -> Result<Self, GaError> {
        let pool = FlatPool::new(space.len(), directions.len());
        // An empty pool and no children: validates everything, breeds nothing.
        breed(&space, &params, &directions, &pool, 0, 0, false)?;
        Ok(Self {
            space,
            params,
            directions,
            run: Mutex::new(RunState {
                pool,
                pending: Offspring::default(),
                generation: 0,
            }),
            busy: AtomicBool::new(false),
        })
    }

    pub fn space(&self) -> &Space {
        &self.space
    }

    pub fn params(&self) -> &GaParams {
        &self.params
    }

    pub fn directions(&self) -> &[Direction] {
        &self.directions
    }

    /// A pool of rows given by the caller, shaped for this engine: `points`
    /// (rows × parameters), `values` (rows × objectives) and `violations`
    /// (rows; all feasible when `None`).
    pub fn pool(
        &self,
        points: &[f64],
        values: &[f64],
        violations: Option<&[f64]>,
    ) -> Result<FlatPool, GaError> {
        let mut pool = FlatPool::new(self.space.len(), self.directions.len());
        pool.extend(points, values, violations)?;
        Ok(pool)
    }

    /// Generation `generation` bred from a pool given by the caller (its
    /// points are checked against the space): the stateless reference that
    /// [`Step::advance`] equals. Nothing of the run is read or changed.
    pub fn propose<P: Pool + ?Sized>(
        &self,
        pool: &P,
        generation: u64,
        n: usize,
    ) -> Result<Offspring, GaError> {
        breed(
            &self.space,
            &self.params,
            &self.directions,
            pool,
            generation,
            n,
            false,
        )
    }

    /// Takes the run for one step, or [`GaError::EngineBusy`] while another
    /// step holds it.
    pub fn step(self: &Arc<Self>) -> Result<Step, GaError> {
        self.busy
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map(|_| Step {
                engine: Arc::clone(self),
            })
            .map_err(|_| GaError::EngineBusy)
    }

    /// [`step`](Self::step) and [`Step::advance`] at once.
    pub fn advance(
        self: &Arc<Self>,
        values: &[f64],
        violations: Option<&[f64]>,
        n: usize,
    ) -> Result<Brood, GaError> {
        self.step()?.advance(values, violations, n)
    }

    fn lock(&self) -> Result<MutexGuard<'_, RunState>, GaError> {
        self.run.lock().map_err(|_| GaError::EnginePoisoned)
    }
}

/// The run of a [`GaEngine`], taken by [`GaEngine::step`] and given back
/// when this is dropped. It may be sent to another thread with its work.
#[derive(Debug)]
pub struct Step {
    engine: Arc<GaEngine>,
}

impl Step {
    /// One step of the run: `values` (row-major, children × objectives) and
    /// `violations` (one per child; all feasible when `None`) are the
    /// results of the children of the previous step (none before the first
    /// step); returns the next `n` children. Points the engine bred itself
    /// are not checked again. Equal, call for call, to
    /// [`GaEngine::propose`] given the kept parent population followed by
    /// those children. On an error the run is left as it was, so the step
    /// can be repeated with corrected results.
    pub fn advance(
        &self,
        values: &[f64],
        violations: Option<&[f64]>,
        n: usize,
    ) -> Result<Brood, GaError> {
        let e = &self.engine;
        let mut run = e.lock()?;
        let (d, m) = (e.space.len(), e.directions.len());
        let k = run.pending.children().len() / d.max(1);
        if values.len() != k * m || violations.is_some_and(|v| v.len() != k) {
            return Err(GaError::AdvanceShape {
                values: values.len(),
                violations: violations.map_or(0, <[f64]>::len),
                children: k,
                objectives: m,
            });
        }
        let run = &mut *run;
        let kept = run.pool.len();
        run.pool
            .extend_offspring(&run.pending, values, violations)?;
        let out = match breed(
            &e.space,
            &e.params,
            &e.directions,
            &run.pool,
            run.generation,
            n,
            true,
        ) {
            Ok(out) => out,
            Err(err) => {
                run.pool.truncate(kept);
                return Err(err);
            }
        };
        // The parent population, in the order the stateless caller builds its pool.
        run.pool.keep(out.parents());
        let brood = Brood::from(&out);
        run.pending = out;
        run.generation = run.generation.saturating_add(1);
        Ok(brood)
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        self.engine.busy.store(false, Ordering::Release);
    }
}
