//! The GA's defaults are defined once (`GaSettings::defaults`) and are the
//! documented ones: for one objective population 30, tournaments of 3 and
//! elitism 2 (README, docs/benchmarks.md); for several, NSGA-II's binary
//! tournament with population 50.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::ga::{
    Crossover, DiscreteCrossover, FloatCrossover, GaError, GaOptions, GaParams, GaSettings, Init,
    Mutation, Selection, SelectionKind,
};

#[test]
fn the_documented_defaults() {
    let one = GaParams::single_objective();
    assert_eq!(one.population_size, 30);
    assert_eq!(one.selection, Selection::Tournament { size: 3 });
    assert_eq!(one.elitism, 2);
    let several = GaParams::nsga2();
    assert_eq!(several.population_size, 50);
    assert_eq!(several.selection, Selection::Tournament { size: 2 });
    assert_eq!(several.elitism, 1);
    for p in [&one, &several] {
        assert_eq!(
            p.crossover,
            Crossover {
                float: FloatCrossover::Sbx { eta: 15.0 },
                discrete: DiscreteCrossover::Uniform,
                ints_as_floats: false
            }
        );
        assert_eq!(p.crossover_prob, 0.9);
        assert_eq!(p.mutation, Mutation::Polynomial { eta: 20.0 });
        assert_eq!(p.mutation_prob, None);
        assert!(p.avoid_duplicates);
        assert_eq!(p.init, Init::Uniform);
        assert_eq!(p.seed, 0);
        p.check().unwrap();
    }
    assert_eq!(Crossover::default(), one.crossover);
    assert_eq!(GaParams::for_objectives(1), one);
    assert_eq!(GaParams::for_objectives(2), several);
    assert_eq!(GaParams::for_objectives(3), several);
}

#[test]
fn options_left_out_take_the_defaults_for_the_number_of_objectives() {
    assert_eq!(
        GaOptions::default().resolve(1).unwrap(),
        GaParams::single_objective()
    );
    assert_eq!(GaOptions::default().resolve(2).unwrap(), GaParams::nsga2());
    assert_eq!(GaOptions::default().filled(1), GaSettings::defaults(1));
    assert_eq!(
        GaOptions::default().filled(1).params(),
        GaParams::single_objective()
    );
    // given options are kept; the rest is filled
    let o = GaOptions {
        population_size: Some(10),
        selection: Some(SelectionKind::Rank),
        seed: Some(4),
        ..GaOptions::default()
    };
    let p = o.resolve(1).unwrap();
    assert_eq!(p.population_size, 10);
    assert_eq!(p.selection, Selection::Rank { pressure: 1.5 });
    assert_eq!(p.seed, 4);
    assert_eq!(p.elitism, 2);
}

#[test]
fn default_sizes_fit_a_small_population_but_given_ones_are_judged() {
    let small = GaOptions {
        population_size: Some(2),
        ..GaOptions::default()
    };
    let p = small.resolve(1).unwrap();
    assert_eq!(p.selection, Selection::Tournament { size: 2 });
    assert_eq!(p.elitism, 1);
    assert_eq!(
        small.resolve(2).unwrap().selection,
        Selection::Tournament { size: 2 }
    );
    let given = GaOptions {
        population_size: Some(10),
        tournament_size: Some(99),
        ..GaOptions::default()
    };
    assert_eq!(
        given.resolve(1).unwrap_err(),
        GaError::InvalidTournamentSize {
            size: 99,
            population_size: 10
        }
    );
    let one = GaOptions {
        population_size: Some(1),
        ..GaOptions::default()
    };
    assert_eq!(one.resolve(1).unwrap_err(), GaError::PopulationTooSmall(1));
}
