//! Acquisition functions: LogEI against log(EI), its tail down to z = −1e3,
//! gradients against finite differences, and the bounded optimiser on test
//! functions through the public API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::acquisition::normal::{cdf, log_h, pdf};
use tunekit_core::acquisition::{Acquisition, BoError};
use tunekit_core::optim::{minimize, Options};

/// EI computed naively, where it has no cancellation trouble.
fn naive_ei(mean: f64, std: f64, best: f64) -> f64 {
    let z = (mean - best) / std;
    std * (pdf(z) + z * cdf(z))
}

#[test]
fn log_ei_equals_log_of_ei_where_representable() {
    let acq = Acquisition::LogEi { xi: 0.0 };
    for i in 0..=150 {
        let z = -5.0 + 0.1 * i as f64; // [−5, 10]
        for &std in &[0.01, 1.0, 30.0] {
            let mean = 0.3 + z * std;
            let ei = naive_ei(mean, std, 0.3);
            let log_ei = acq.value(mean, std, 0.3);
            assert!(
                (log_ei - ei.ln()).abs() < 1e-9 * ei.ln().abs().max(1.0),
                "z={z} std={std}: {log_ei} vs ln EI {}",
                ei.ln()
            );
            let ei2 = Acquisition::Ei { xi: 0.0 }.value(mean, std, 0.3);
            assert!((ei2 / ei - 1.0).abs() < 1e-12);
        }
    }
    // Known value: h(0) = φ(0) = 1/√(2π).
    assert!((log_h(0.0) - (-0.918_938_533_204_672_8)).abs() < 1e-15);
}

#[test]
fn log_ei_is_finite_and_monotone_deep_in_the_tail() {
    let mut prev = f64::NEG_INFINITY;
    let mut z = -1000.0;
    while z <= 5.0 {
        let v = log_h(z);
        assert!(v.is_finite(), "log h({z}) = {v}");
        assert!(v > prev, "not increasing at z = {z}: {v} ≤ {prev}");
        prev = v;
        z += 0.37;
    }
    // Where naive EI underflows to 0, LogEI still orders the points.
    let acq = Acquisition::LogEi { xi: 0.0 };
    assert_eq!(naive_ei(-40.0, 1.0, 0.0), 0.0);
    assert!(acq.value(-40.0, 1.0, 0.0) > acq.value(-41.0, 1.0, 0.0));
    assert!(acq.value(-1000.0, 1.0, 0.0).is_finite());
    // asymptote: −z²/2 − ln√(2π) − 2 ln|z|, relative error O(1/z²)
    let z = -1000.0f64;
    let asym = -0.5 * z * z - 0.918_938_533_204_672_8 - 2.0 * z.abs().ln();
    assert!((log_h(z) - asym).abs() < 1e-5, "{} vs {asym}", log_h(z));
    // mpmath, 40 digits: ln h(−6) = −22.57887939216979736689…, ln h(−30) = −457.72465376059800405…
    assert!(
        (log_h(-6.0) - (-22.578_879_392_169_797)).abs() < 1e-12,
        "{}",
        log_h(-6.0)
    );
    assert!(
        (log_h(-30.0) - (-457.724_653_760_598)).abs() < 1e-10,
        "{}",
        log_h(-30.0)
    );
}

#[test]
fn acquisition_gradients_match_finite_differences() {
    // A synthetic posterior along one coordinate: μ(x) = sin 3x, σ(x) = 0.2 + x².
    let mu = |x: f64| (3.0 * x).sin();
    let sd = |x: f64| 0.2 + x * x;
    let acqs = [
        Acquisition::LogEi { xi: 0.01 },
        Acquisition::Ei { xi: 0.01 },
        Acquisition::Pi { xi: 0.01 },
        Acquisition::Ucb { kappa: 1.5 },
    ];
    for acq in acqs {
        for &x in &[-0.9, -0.2, 0.1, 0.6, 1.4] {
            for &best in &[0.5, 3.0] {
                let mut g = [0.0];
                let v = acq.value_and_grad(
                    mu(x),
                    sd(x),
                    &[3.0 * (3.0 * x).cos()],
                    &[2.0 * x],
                    best,
                    &mut g,
                );
                assert!((v - acq.value(mu(x), sd(x), best)).abs() < 1e-12);
                let h = 1e-6;
                let fd = (acq.value(mu(x + h), sd(x + h), best)
                    - acq.value(mu(x - h), sd(x - h), best))
                    / (2.0 * h);
                assert!(
                    (fd - g[0]).abs() < 1e-5 * fd.abs().max(1.0),
                    "{acq:?} x={x} best={best}: {} vs {fd}",
                    g[0]
                );
            }
        }
    }
}

#[test]
fn settings_are_checked() {
    assert_eq!(
        Acquisition::Ucb { kappa: -1.0 }
            .check()
            .unwrap_err()
            .to_string(),
        "kappa = -1 is invalid: must be a finite number ≥ 0"
    );
    let e = Acquisition::LogEi { xi: f64::NAN }.check().unwrap_err();
    assert!(matches!(e, BoError::InvalidSetting { name: "xi", .. }));
    assert_eq!(
        e.to_string(),
        "xi = NaN is invalid: must be a finite number"
    );
    assert!(Acquisition::default().check().is_ok());
}

#[test]
fn bounded_optimiser_on_test_functions() {
    // Branin on its box, from three corners: one of the three global minima (0.397887).
    let branin = |x: &[f64], g: &mut [f64]| {
        use std::f64::consts::PI;
        let (b, c, t) = (5.1 / (4.0 * PI * PI), 5.0 / PI, 1.0 / (8.0 * PI));
        let r = x[1] - b * x[0] * x[0] + c * x[0] - 6.0;
        g[0] = 2.0 * r * (-2.0 * b * x[0] + c) - 10.0 * (1.0 - t) * x[0].sin();
        g[1] = 2.0 * r;
        r * r + 10.0 * (1.0 - t) * x[0].cos() + 10.0
    };
    for x0 in [[-4.0, 1.0], [9.0, 14.0], [0.0, 7.0]] {
        let m = minimize(
            branin,
            &x0,
            &[-5.0, 0.0],
            &[10.0, 15.0],
            &Options::default(),
        )
        .unwrap();
        assert!(
            (m.f - 0.397_887_357_729_738).abs() < 1e-6,
            "from {x0:?}: {m:?}"
        );
    }
    // Sphere centred outside the box: the minimum sits on the faces.
    let sphere = |x: &[f64], g: &mut [f64]| {
        let c = [2.0, -3.0, 0.5];
        let mut f = 0.0;
        for i in 0..3 {
            f += (x[i] - c[i]).powi(2);
            g[i] = 2.0 * (x[i] - c[i]);
        }
        f
    };
    let m = minimize(
        sphere,
        &[0.0, 0.0, 0.0],
        &[-1.0; 3],
        &[1.0; 3],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(&m.x[..2], &[1.0, -1.0]);
    assert!((m.x[2] - 0.5).abs() < 1e-6);
    assert!((m.f - 5.0).abs() < 1e-10);
}
