//! Analytic gradients against central finite differences: the log marginal
//! likelihood w.r.t. log hyper-parameters (every kernel, ARD and shared length
//! scales, categorical dimensions, fitted noise), the log-priors, and the
//! posterior mean and standard deviation w.r.t. the input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand_mt::Mt64;
use tunekit_core::gp::{fit, FittedGp, GpParams, KernelKind};
use tunekit_core::space::{Domain, Param, Space};

fn unit(rng: &mut Mt64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 3 continuous dimensions, an integer, and a 3-way categorical.
fn mixed_space() -> Space {
    Space::new(vec![
        Param {
            name: "a".into(),
            domain: Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        },
        Param {
            name: "b".into(),
            domain: Domain::Float {
                low: 1e-3,
                high: 1.0,
                log: true,
                step: None,
            },
        },
        Param {
            name: "c".into(),
            domain: Domain::Float {
                low: -2.0,
                high: 2.0,
                log: false,
                step: None,
            },
        },
        Param {
            name: "k".into(),
            domain: Domain::Int {
                low: 1,
                high: 6,
                log: false,
                step: 1,
            },
        },
        Param {
            name: "cat".into(),
            domain: Domain::Categorical { n_choices: 3 },
        },
    ])
    .unwrap()
}

fn data(space: &Space, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Mt64::new(seed);
    let mut x = Vec::new();
    let mut y = Vec::new();
    for _ in 0..n {
        let u: Vec<f64> = (0..space.len()).map(|_| unit(&mut rng)).collect();
        let v = space.from_unit(&u);
        let e = space.encode(&v);
        y.push(
            (3.0 * e[0]).sin() + e[1] * e[2] - 0.5 * e[3]
                + if e[4] == 1.0 { 0.7 } else { 0.0 }
                + 0.05 * unit(&mut rng),
        );
        x.extend(e);
    }
    (x, y)
}

fn check_gradient(gp: &FittedGp, theta: &[f64], label: &str) {
    let (_, g) = gp.log_marginal_likelihood_and_gradient(theta).unwrap();
    for j in 0..theta.len() {
        let h = 1e-5;
        let mut tp = theta.to_vec();
        let mut tm = theta.to_vec();
        tp[j] += h;
        tm[j] -= h;
        let fd = (gp.log_marginal_likelihood_and_gradient(&tp).unwrap().0
            - gp.log_marginal_likelihood_and_gradient(&tm).unwrap().0)
            / (2.0 * h);
        assert!(
            (fd - g[j]).abs() <= 1e-5 * fd.abs().max(1.0),
            "{label}: ∂/∂θ[{j}] analytic {} vs finite differences {fd}",
            g[j]
        );
    }
}

#[test]
fn lml_gradient_matches_finite_differences() {
    let space = mixed_space();
    let (x, y) = data(&space, 30, 1);
    let d = space.len();
    for kernel in [KernelKind::Matern52, KernelKind::Matern32, KernelKind::Rbf] {
        for ard in [true, false] {
            for noise in [None, Some(0.01)] {
                for with_space in [true, false] {
                    let params = GpParams {
                        kernel,
                        length_scale: if ard {
                            vec![0.4, 0.7, 1.3, 0.5, 0.9]
                        } else {
                            vec![0.6]
                        },
                        variance: 1.7,
                        alpha: 1e-6,
                        noise,
                        normalize_y: true,
                        optimizer: None,
                        space: with_space.then(|| space.clone()),
                    };
                    let gp = fit(&params, &x, y.len(), d, &y).unwrap();
                    let label = format!("{kernel:?} ard={ard} noise={noise:?} space={with_space}");
                    check_gradient(&gp, &gp.kernel_params(), &label);
                    // and away from the initial values
                    let shifted: Vec<f64> = gp
                        .kernel_params()
                        .iter()
                        .enumerate()
                        .map(|(i, t)| t + 0.3 * ((i % 3) as f64 - 1.0))
                        .collect();
                    check_gradient(&gp, &shifted, &label);
                }
            }
        }
    }
}

#[test]
fn categorical_dimension_changes_the_likelihood() {
    // The categorical length scale must matter: the data depend on the category.
    let space = mixed_space();
    let (x, y) = data(&space, 30, 2);
    let params = GpParams {
        length_scale: vec![0.5, 0.5, 0.5, 0.5, 0.2],
        normalize_y: true,
        space: Some(space.clone()),
        ..GpParams::default()
    };
    let gp = fit(&params, &x, y.len(), 5, &y).unwrap();
    let (_, g) = gp
        .log_marginal_likelihood_and_gradient(&gp.kernel_params())
        .unwrap();
    assert!(g[4].abs() > 1e-3, "{g:?}");
}

#[test]
fn prior_gradient_matches_finite_differences() {
    let space = mixed_space();
    let (x, y) = data(&space, 10, 3);
    let params = GpParams {
        length_scale: vec![0.5; 5],
        noise: Some(0.02),
        space: Some(space),
        ..GpParams::default()
    };
    let gp = fit(&params, &x, y.len(), 5, &y).unwrap();
    let theta = vec![-1.0, 0.0, 0.5, 2.0, -3.0, 0.3, -4.0];
    let (_, g) = gp.log_prior_and_gradient(&theta).unwrap();
    for j in 0..theta.len() {
        let mut tp = theta.clone();
        let mut tm = theta.clone();
        tp[j] += 1e-6;
        tm[j] -= 1e-6;
        let fd = (gp.log_prior_and_gradient(&tp).unwrap().0
            - gp.log_prior_and_gradient(&tm).unwrap().0)
            / 2e-6;
        assert!(
            (fd - g[j]).abs() < 1e-5 * fd.abs().max(1.0),
            "θ[{j}]: {} vs {fd}",
            g[j]
        );
    }
}

#[test]
fn posterior_gradient_matches_finite_differences() {
    let space = mixed_space();
    let (x, y) = data(&space, 25, 4);
    for kernel in [KernelKind::Matern52, KernelKind::Matern32, KernelKind::Rbf] {
        let params = GpParams {
            kernel,
            length_scale: vec![0.4, 0.6, 0.8, 0.5, 1.0],
            normalize_y: true,
            alpha: 1e-4,
            space: Some(space.clone()),
            ..GpParams::default()
        };
        let gp = fit(&params, &x, y.len(), 5, &y).unwrap();
        let x0 = vec![
            0.31,
            0.62,
            0.47,
            space.encode(&[0.0, 0.1, 0.0, 3.0, 0.0])[3],
            2.0,
        ];
        let post = gp.predict_with_gradient(&x0).unwrap();
        let (m0, s0) = gp.predict(&x0, 1).unwrap();
        assert!((post.mean - m0[0]).abs() < 1e-10 && (post.std - s0[0]).abs() < 1e-10);
        for k in 0..3 {
            let h = 1e-6;
            let mut xp = x0.clone();
            let mut xm = x0.clone();
            xp[k] += h;
            xm[k] -= h;
            let (mp, sp) = gp.predict(&xp, 1).unwrap();
            let (mm, sm) = gp.predict(&xm, 1).unwrap();
            let (fdm, fds) = ((mp[0] - mm[0]) / (2.0 * h), (sp[0] - sm[0]) / (2.0 * h));
            assert!(
                (fdm - post.d_mean[k]).abs() < 1e-5 * fdm.abs().max(1.0),
                "{kernel:?} ∂μ/∂x{k}: {} vs {fdm}",
                post.d_mean[k]
            );
            assert!(
                (fds - post.d_std[k]).abs() < 1e-5 * fds.abs().max(1.0),
                "{kernel:?} ∂σ/∂x{k}: {} vs {fds}",
                post.d_std[k]
            );
        }
        // rounded and categorical coordinates have no gradient
        assert_eq!(post.d_mean[4], 0.0);
    }
}
