//! NSGA-II on ZDT1/2/3 (30 variables, 10 000 evaluations, population 100,
//! default operators: SBX η = 15 p = 0.9, polynomial mutation η = 20 p = 1/n):
//! hypervolume of the final population's first front with respect to
//! (1.1, 1.1), median over 10 seeds.
//!
//! `cargo run --release --example ga_zdt [-- SEEDS [-v]]` (`-v` lists every run's hypervolume)

use std::time::Instant;

use tunekit_core::ga::{hypervolume_2d, pareto_front, problems, run, Direction, GaParams};

type Problem = fn(&[f64]) -> [f64; 2];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seeds: u64 = std::env::args().nth(1).map_or(Ok(10), |s| s.parse())?;
    let verbose = std::env::args().any(|a| a == "-v");
    let space = problems::box_space(30, 0.0, 1.0)?;
    let dirs = [Direction::Minimize; 2];
    let cases: [(&str, Problem); 3] = [
        ("ZDT1", problems::zdt1),
        ("ZDT2", problems::zdt2),
        ("ZDT3", problems::zdt3),
    ];
    println!("problem  median HV   min HV     max HV     true front  seconds/run");
    for (name, f) in cases {
        // the true front (x₂… = 0), densely sampled: the best any population can reach
        let curve: Vec<Vec<f64>> = (0..=10_000)
            .map(|i| {
                let mut x = vec![0.0; 30];
                x[0] = f64::from(i) / 10_000.0;
                f(&x).to_vec()
            })
            .collect();
        let on_front: Vec<[f64; 2]> = pareto_front(&curve, &dirs)?
            .iter()
            .map(|&i| [curve[i][0], curve[i][1]])
            .collect();
        let optimum = hypervolume_2d(&on_front, [1.1, 1.1]);
        let mut hvs = Vec::new();
        let start = Instant::now();
        for seed in 0..seeds {
            let params = GaParams {
                population_size: 100,
                seed,
                ..GaParams::nsga2()
            };
            let res = run(&space, &params, &dirs, 10_000, |x| f(x).to_vec())?;
            let pop: Vec<Vec<f64>> = res
                .population
                .iter()
                .map(|&i| res.evaluated[i].values.clone())
                .collect();
            let front = pareto_front(&pop, &dirs)?;
            let pts: Vec<[f64; 2]> = front.iter().map(|&i| [pop[i][0], pop[i][1]]).collect();
            hvs.push(hypervolume_2d(&pts, [1.1, 1.1]));
        }
        let secs = start.elapsed().as_secs_f64() / seeds as f64;
        hvs.sort_by(f64::total_cmp);
        let median = if hvs.len() % 2 == 1 {
            hvs[hvs.len() / 2]
        } else {
            (hvs[hvs.len() / 2 - 1] + hvs[hvs.len() / 2]) / 2.0
        };
        println!(
            "{name}     {median:.5}    {:.5}    {:.5}    {optimum:.5}     {secs:.3}",
            hvs[0],
            hvs[hvs.len() - 1]
        );
        if verbose {
            println!(
                "  all: {:?}",
                hvs.iter()
                    .map(|h| (h * 1000.0).round() / 1000.0)
                    .collect::<Vec<_>>()
            );
        }
    }
    Ok(())
}
