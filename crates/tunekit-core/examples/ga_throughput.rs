//! GA generations per second: population 100, 30 float genes, sphere fitness.
//!
//! - `propose_generation` as the TypeScript layer drives it: one call per
//!   generation with the evaluated individuals passed in (the previous parent
//!   population plus the latest offspring, 200 individuals), or the whole
//!   history (growing to 100 × generations);
//! - the same for two objectives (NSGA-II on ZDT1);
//! - `run`, the Rust loop (evaluations through rayon).
//!
//! `cargo run --release --example ga_throughput [-- GENERATIONS [flat|sphere|zdt|pool|history|run]]`

use std::time::Instant;

use tunekit_core::ga::{
    breed, problems, propose_generation_and_parents, run, Direction, FlatPool, GaParams,
    GenerationRequest, Individual,
};

/// CPU time of this thread (Linux; `None` elsewhere): the machine may be shared.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? * 1e-9)
}

fn evaluate(points: Vec<Vec<f64>>, objectives: usize) -> Vec<Individual> {
    points
        .into_iter()
        .map(|x| {
            let values = if objectives == 1 {
                vec![problems::sphere(&x)]
            } else {
                problems::zdt1(&x).to_vec()
            };
            Individual::new(x, values)
        })
        .collect()
}

/// Generations per wall second and per CPU second through `propose_generation_and_parents`.
fn ask_tell(
    generations: u64,
    objectives: usize,
    whole_history: bool,
) -> Result<String, Box<dyn std::error::Error>> {
    let (low, high) = if objectives == 1 {
        (-5.0, 5.0)
    } else {
        (0.0, 1.0)
    };
    let mut req = GenerationRequest {
        space: problems::box_space(30, low, high)?,
        params: GaParams {
            population_size: 100,
            seed: 1,
            ..GaParams::nsga2()
        },
        directions: vec![Direction::Minimize; objectives],
        evaluated: Vec::new(),
        generation: 0,
        n: 100,
    };
    let start = Instant::now();
    let cpu = cpu_seconds();
    for generation in 0..generations {
        req.generation = generation;
        let (children, parents) = propose_generation_and_parents(&req)?;
        let offspring = evaluate(children, objectives);
        if whole_history {
            req.evaluated.extend(offspring);
        } else {
            let mut next: Vec<Individual> =
                parents.iter().map(|&i| req.evaluated[i].clone()).collect();
            next.extend(offspring);
            req.evaluated = next;
        }
    }
    let wall = generations as f64 / start.elapsed().as_secs_f64();
    let cpu = match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:>9.0} per CPU second", generations as f64 / (b - a)),
        _ => String::new(),
    };
    Ok(format!("{wall:>9.0} generations/s {cpu}"))
}

/// Generations per wall second through `breed` on a `FlatPool` kept between
/// generations (what the binding's `GaEngine.advanceSync` does), sphere: the
/// best of five runs (the machine may be shared).
fn flat(generations: u64) -> Result<String, Box<dyn std::error::Error>> {
    let space = problems::box_space(30, -5.0, 5.0)?;
    let params = GaParams {
        population_size: 100,
        seed: 1,
        ..GaParams::nsga2()
    };
    let dirs = [Direction::Minimize];
    let mut best = 0.0f64;
    for _ in 0..5 {
        let mut pool = FlatPool::new(30, 1);
        let start = Instant::now();
        for generation in 0..generations {
            let out = breed(&space, &params, &dirs, &pool, generation, 100, true)?;
            pool.keep(out.parents());
            let values: Vec<f64> = out.children().chunks(30).map(problems::sphere).collect();
            pool.extend_offspring(&out, &values, None)?;
        }
        best = best.max(generations as f64 / start.elapsed().as_secs_f64());
    }
    Ok(format!("{best:>9.0} generations/s (best of 5 runs)"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let generations: u64 = std::env::args().nth(1).map_or(Ok(1000), |s| s.parse())?;
    let only = std::env::args().nth(2).unwrap_or_else(|| "all".into());
    let want = |part: &str| only == "all" || only == part;
    println!("population 100, 30 float genes, {generations} generations per measure");
    if want("flat") {
        println!(
            "breed on a FlatPool kept between generations, sphere:      {}",
            flat(generations)?
        );
    }
    if want("pool") || want("sphere") {
        println!(
            "propose_generation, parents + offspring (200), sphere:      {}",
            ask_tell(generations, 1, false)?
        );
    }
    if want("pool") || want("zdt") {
        println!(
            "propose_generation, parents + offspring (200), ZDT1 NSGA-II: {}",
            ask_tell(generations, 2, false)?
        );
    }
    let short = generations.min(100);
    if want("history") {
        println!(
            "propose_generation, whole history ({:>5} at the end), sphere: {}",
            short * 100,
            ask_tell(short, 1, true)?
        );
        println!(
            "propose_generation, whole history ({:>5} at the end), ZDT1:   {}",
            short * 100,
            ask_tell(short, 2, true)?
        );
    }
    if !want("run") {
        return Ok(());
    }
    for (name, objectives) in [("sphere", 1usize), ("ZDT1 NSGA-II", 2)] {
        let (low, high) = if objectives == 1 {
            (-5.0, 5.0)
        } else {
            (0.0, 1.0)
        };
        let space = problems::box_space(30, low, high)?;
        let params = GaParams {
            population_size: 100,
            seed: 1,
            ..GaParams::nsga2()
        };
        let dirs = vec![Direction::Minimize; objectives];
        let start = Instant::now();
        let res = run(&space, &params, &dirs, 100 * generations as usize, |x| {
            if objectives == 1 {
                vec![problems::sphere(x)]
            } else {
                problems::zdt1(x).to_vec()
            }
        })?;
        let per_s = res.generations as f64 / start.elapsed().as_secs_f64();
        println!("run (rayon), {name:<12}:{:>40.0} generations/s", per_s);
    }
    Ok(())
}
