//! # Genetic algorithms
//!
//! A generational genetic algorithm over a [`Space`](crate::space::Space) of
//! float, integer and categorical parameters, and NSGA-II when there are
//! several objectives. It is driven one generation at a time by the stateless
//! [`propose_generation`]: the evaluated individuals go in, the next children
//! come out, and the answer is a pure function of the request, its seed and
//! its generation number, so any worker reproduces it. [`run`](fn@run) loops over
//! generations for objectives written in Rust, evaluating each generation in
//! parallel.
//!
//! The algorithms are the published ones, implemented here from their
//! descriptions:
//!
//! - simulated binary crossover (SBX): K. Deb, R. B. Agrawal, *Simulated
//!   Binary Crossover for Continuous Search Space*, Complex Systems 9(2), 1995
//!   (bounded form of Deb's NSGA-II code);
//! - polynomial mutation: K. Deb, M. Goyal, *A Combined Genetic Adaptive
//!   Search (GeneAS) for Engineering Design*, Computer Science and Informatics
//!   26(4), 1996 (bounded form);
//! - blend crossover BLX-α: L. J. Eshelman, J. D. Schaffer, *Real-Coded
//!   Genetic Algorithms and Interval-Schemata*, FOGA 2, 1993;
//! - NSGA-II (fast non-dominated sorting, crowding distance, crowded
//!   tournament, elitist environmental selection): K. Deb, A. Pratap,
//!   S. Agarwal, T. Meyarivan, *A Fast and Elitist Multiobjective Genetic
//!   Algorithm: NSGA-II*, IEEE TEC 6(2), 2002;
//! - constraints by feasibility rules: K. Deb, *An Efficient Constraint
//!   Handling Method for Genetic Algorithms*, CMAME 186, 2000 (feasible beats
//!   infeasible, lower total violation beats higher);
//! - linear ranking selection: J. E. Baker, *Adaptive Selection Methods for
//!   Genetic Algorithms*, ICGA 1985; tournament and roulette selection as in
//!   D. E. Goldberg, *Genetic Algorithms in Search, Optimization and Machine
//!   Learning*, 1989;
//! - Latin hypercube initialisation (McKay, Beckman & Conover 1979) and
//!   Owen-scrambled Sobol points (Burley, *Practical Hash-based Owen
//!   Scrambling*, JCGT 9(4), 2020, through `sobol_burley`).
//!
//! ## Genes
//!
//! Points cross the API in value form (one `f64` per parameter). Numerical
//! genes are operated on in the space's encoded unit interval (log-scale
//! parameters in log space, integer levels of equal width) and decoded
//! afterwards, which rounds to the step grid and clamps to the bounds; integer
//! and categorical genes are crossed by exchange (one-point, two-point,
//! uniform), categorical genes mutate by drawing another category. So every
//! child is a valid point of the space.
//!
//! ## Objectives
//!
//! Each objective has a [`Direction`]. A NaN objective value marks a failed
//! evaluation: such individuals rank after all others (in one last front,
//! ordered by violation). ±∞ compare as numbers; crowding distances clamp
//! them to the finite range.
//!
//! ```
//! use tunekit_core::ga::{problems, propose_generation, Direction, GaParams, GenerationRequest, Individual};
//!
//! let space = problems::box_space(3, -5.0, 5.0).unwrap();
//! let mut req = GenerationRequest {
//!     space, params: GaParams { population_size: 20, seed: 7, ..GaParams::single_objective() },
//!     directions: vec![Direction::Minimize], evaluated: vec![], generation: 0, n: 20,
//! };
//! for generation in 0..10 {
//!     req.generation = generation;
//!     let children = propose_generation(&req).unwrap();
//!     // evaluate elsewhere (JavaScript, a remote job…), then tell:
//!     req.evaluated.extend(children.into_iter().map(|x| {
//!         let f = problems::sphere(&x);
//!         Individual::new(x, vec![f])
//!     }));
//! }
//! let best = req.evaluated.iter().map(|i| i.values[0]).fold(f64::INFINITY, f64::min);
//! assert!(best < 5.0);
//! ```

mod crossover;
mod crowding;
mod diversity;
mod engine;
mod error;
mod generation;
mod genome;
mod hypervolume;
mod individual;
mod init;
mod mutation;
mod non_dominated_sort;
mod objectives;
mod options;
mod params;
mod pool;
pub mod problems;
mod run;
mod selection;
mod survival;

pub use crossover::crossover_pair;
pub use crowding::crowding_distance;
pub use diversity::diversity;
pub use engine::{Brood, GaEngine, Step};
pub use error::GaError;
pub use generation::{
    breed, parent_population, propose_generation, propose_generation_and_parents,
    GenerationRequest, Offspring,
};
pub use hypervolume::hypervolume_2d;
pub use individual::{Direction, Individual};
pub use init::initial_population;
pub use mutation::mutate_point;
pub use non_dominated_sort::{non_dominated_sort, pareto_front};
pub use options::{GaOptions, GaSettings};
pub use params::{
    Crossover, DiscreteCrossover, FloatCrossover, FloatCrossoverKind, GaParams, Init, Mutation,
    MutationKind, Selection, SelectionKind,
};
pub use pool::{FlatPool, Pool};
pub use run::{run, run_constrained, RunResult};
