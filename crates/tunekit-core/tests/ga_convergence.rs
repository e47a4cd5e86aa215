//! The GA converges: sphere and Rastrigin with one objective, ZDT1 with NSGA-II.
//! Thresholds come from measured runs (see the comments), with a margin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::ga::{
    hypervolume_2d, pareto_front, problems, run, Direction, GaParams, Mutation, Selection,
};

fn best(
    space_dims: usize,
    half: f64,
    params: &GaParams,
    budget: usize,
    f: fn(&[f64]) -> f64,
) -> f64 {
    let s = problems::box_space(space_dims, -half, half).unwrap();
    let res = run(&s, params, &[Direction::Minimize], budget, |x| vec![f(x)]).unwrap();
    res.evaluated
        .iter()
        .map(|i| i.values[0])
        .fold(f64::INFINITY, f64::min)
}

fn report(name: &str, xs: &[f64]) {
    eprintln!("{name}: {xs:?}");
}

#[test]
fn sphere_reaches_a_small_regret() {
    let regrets: Vec<f64> = (0..5)
        .map(|seed| {
            best(
                10,
                5.12,
                &GaParams {
                    seed,
                    elitism: 2,
                    ..GaParams::nsga2()
                },
                10_000,
                problems::sphere,
            )
        })
        .collect();
    report(
        "sphere 10-D, 10 000 evaluations, default settings",
        &regrets,
    );
    // measured: 6.3e-4 … 1.7e-3 (from ≈ 80 for a random point)
    for r in &regrets {
        assert!(*r < 1e-2, "{regrets:?}");
    }
}

#[test]
fn rastrigin_reaches_a_small_regret() {
    let regrets: Vec<f64> = (0..5)
        .map(|seed| {
            let params = GaParams {
                population_size: 100,
                elitism: 5,
                seed,
                ..GaParams::nsga2()
            };
            best(5, 5.12, &params, 20_000, problems::rastrigin)
        })
        .collect();
    report("rastrigin 5-D, 20 000 evaluations, pop 100", &regrets);
    // measured: 1.0e-4 … 5.3e-3, i.e. the global basin every time (the nearest
    // local minima are at ≈ 1)
    for r in &regrets {
        assert!(*r < 0.05, "{regrets:?}");
    }
}

#[test]
fn other_operators_converge_too() {
    for (name, params) in [
        (
            "roulette + gaussian",
            GaParams {
                selection: Selection::Roulette,
                mutation: Mutation::Gaussian { sigma: 0.05 },
                elitism: 2,
                seed: 1,
                ..GaParams::nsga2()
            },
        ),
        (
            "rank + reset",
            GaParams {
                selection: Selection::Rank { pressure: 2.0 },
                mutation: Mutation::UniformReset,
                elitism: 2,
                seed: 1,
                ..GaParams::nsga2()
            },
        ),
    ] {
        let r = best(5, 5.12, &params, 5_000, problems::sphere);
        report(name, &[r]);
        // measured: 1.1e-3 and 1.4e-2
        assert!(r < 0.1, "{name}: {r}");
    }
}

#[test]
fn nsga2_on_zdt1_reaches_the_front() {
    let space = problems::box_space(30, 0.0, 1.0).unwrap();
    let dirs = [Direction::Minimize; 2];
    let hvs: Vec<f64> = (0..3)
        .map(|seed| {
            let params = GaParams {
                population_size: 100,
                seed,
                ..GaParams::nsga2()
            };
            let res = run(&space, &params, &dirs, 10_000, |x| {
                problems::zdt1(x).to_vec()
            })
            .unwrap();
            let pop: Vec<Vec<f64>> = res
                .population
                .iter()
                .map(|&i| res.evaluated[i].values.clone())
                .collect();
            let pts: Vec<[f64; 2]> = pareto_front(&pop, &dirs)
                .unwrap()
                .iter()
                .map(|&i| [pop[i][0], pop[i][1]])
                .collect();
            hypervolume_2d(&pts, [1.1, 1.1])
        })
        .collect();
    report("ZDT1 hypervolume, 10 000 evaluations, pop 100", &hvs);
    // measured: 0.8511, 0.8414, 0.8507; over 40 seeds median 0.846, min 0.836
    // (pymoo 0.6.2 NSGA2, same budget: median 0.847, min 0.830 over 40 seeds);
    // 100 points of the true front give 0.8714, the whole front 0.8767
    for h in &hvs {
        assert!(*h >= 0.835, "{hvs:?}");
    }
    assert!(hvs.iter().sum::<f64>() / 3.0 >= 0.84, "{hvs:?}");
}
