//! Every random stream comes from `tunekit_core::random`: the GA's Sobol
//! initial population and `Space::sobol_points` are the one scrambled Sobol
//! sequence, seeded by the one derivation.
#![allow(clippy::unwrap_used)]

use tunekit_core::ga::{initial_population, problems, Init};
use tunekit_core::random::seed::{self, Stream};
use tunekit_core::random::{sobol_point, FastRng};

#[test]
fn the_ga_sobol_population_is_the_shared_sequence() {
    let space = problems::box_space(3, -1.0, 1.0).unwrap();
    for s in [0u64, 7, 123_456] {
        let pop = initial_population(&space, Init::Sobol, 20, s).unwrap();
        let key = seed::generation_key(s, 0);
        let shared = seed::stream(key, Stream::Sobol, 0);
        for (i, x) in pop.iter().enumerate() {
            assert_eq!(x, &space.from_unit(&sobol_point(i as u64, 3, shared)));
        }
    }
}

#[test]
fn space_sobol_points_are_the_shared_sequence() {
    let space = problems::box_space(2, 0.0, 4.0).unwrap();
    let pts = space.sobol_points(5, 3, 11);
    for (k, x) in pts.iter().enumerate() {
        assert_eq!(x, &space.from_unit(&sobol_point(5 + k as u64, 2, 11)));
    }
}

#[test]
fn the_uniform_ga_population_is_the_fast_generator_keyed_per_point() {
    let space = problems::box_space(2, 0.0, 1.0).unwrap();
    let pop = initial_population(&space, Init::Uniform, 4, 9).unwrap();
    let key = seed::generation_key(9, 0);
    for (i, x) in pop.iter().enumerate() {
        let mut rng = FastRng::stream(key, Stream::InitPoint, i as u64);
        let unit = [rng.uniform(), rng.uniform()];
        assert_eq!(x, &space.from_unit(&unit));
    }
}
