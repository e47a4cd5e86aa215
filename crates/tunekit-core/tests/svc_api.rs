//! The public SVC and search API: shapes, signs, errors, equivalent paths,
//! determinism.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{correct, load_csv, load_reference};
use tunekit_core::data::{DataError, Labels, Matrix};
use tunekit_core::model_selection::search::{
    cross_validate_svc, cross_validate_svc_with, FoldProblem, SearchError, SearchOptions,
};
use tunekit_core::model_selection::Fold;
use tunekit_core::svm::{fit, ClassWeight, Gamma, Kernel, SvcParams, SvmError};

fn iris() -> (Matrix, Labels) {
    load_csv("iris.csv")
}

fn blobs() -> (Matrix, Labels) {
    // three well separated groups plus some overlap, classes 0, 1, 2
    let mut rows = Vec::new();
    let mut codes = Vec::new();
    for i in 0..30 {
        let t = i as f64 * 0.37;
        let c = i % 3;
        let (cx, cy) = [(0.0, 0.0), (3.0, 0.5), (1.0, 3.0)][c];
        rows.push(vec![cx + t.sin(), cy + (1.7 * t).cos()]);
        codes.push(c as u32);
    }
    (
        Matrix::from_rows(&rows).unwrap(),
        Labels::new(codes, 3).unwrap(),
    )
}

#[test]
fn defaults_are_sklearns() {
    let p = SvcParams::default();
    assert_eq!(p.c, 1.0);
    assert_eq!(p.kernel, Kernel::Rbf);
    assert_eq!(p.gamma, Gamma::Scale);
    assert_eq!(p.degree, 3);
    assert_eq!(p.coef0, 0.0);
    assert_eq!(p.tol, 1e-3);
    assert!(p.shrinking);
    assert_eq!(p.class_weight, ClassWeight::Uniform);
    assert_eq!(p.max_iter, None);
    assert_eq!(p.cache_size_mb, 200.0);
    assert!(p.check().is_ok());
}

#[test]
fn bad_parameters_are_named() {
    let (x, y) = iris();
    let cases: Vec<(SvcParams, SvmError, &str)> = vec![
        (
            SvcParams {
                c: -1.0,
                ..SvcParams::default()
            },
            SvmError::InvalidC(-1.0),
            "C must be a positive finite number, got -1",
        ),
        (
            SvcParams {
                c: 0.0,
                ..SvcParams::default()
            },
            SvmError::InvalidC(0.0),
            "got 0",
        ),
        (
            SvcParams {
                c: f64::INFINITY,
                ..SvcParams::default()
            },
            SvmError::InvalidC(f64::INFINITY),
            "got inf",
        ),
        (
            SvcParams {
                gamma: Gamma::Value(-0.5),
                ..SvcParams::default()
            },
            SvmError::InvalidGamma(-0.5),
            "gamma must be positive, got -0.5",
        ),
        (
            SvcParams {
                gamma: Gamma::Value(0.0),
                ..SvcParams::default()
            },
            SvmError::InvalidGamma(0.0),
            "gamma must be positive, got 0",
        ),
        (
            SvcParams {
                tol: 0.0,
                ..SvcParams::default()
            },
            SvmError::InvalidTol(0.0),
            "tol must be",
        ),
        (
            SvcParams {
                coef0: f64::NEG_INFINITY,
                ..SvcParams::default()
            },
            SvmError::InvalidCoef0(f64::NEG_INFINITY),
            "coef0",
        ),
        (
            SvcParams {
                max_iter: Some(0),
                ..SvcParams::default()
            },
            SvmError::InvalidMaxIter(0),
            "max_iter must be at least 1",
        ),
        (
            SvcParams {
                cache_size_mb: 0.0,
                ..SvcParams::default()
            },
            SvmError::InvalidCacheSize(0.0),
            "cache_size_mb",
        ),
        (
            SvcParams {
                class_weight: ClassWeight::PerClass(vec![1.0, -2.0, 1.0]),
                ..SvcParams::default()
            },
            SvmError::InvalidClassWeight {
                class: 1,
                value: -2.0,
            },
            "class weight for class 1 is -2",
        ),
        (
            SvcParams {
                class_weight: ClassWeight::PerClass(vec![1.0, 2.0]),
                ..SvcParams::default()
            },
            SvmError::ClassWeightLength {
                got: 2,
                expected: 3,
            },
            "class_weight has 2 values but y has 3 classes",
        ),
    ];
    for (params, expected, message) in cases {
        let err = fit(&params, &x, &y).unwrap_err();
        assert_eq!(err, expected);
        assert!(
            err.to_string().contains(message),
            "{err} does not contain {message:?}"
        );
    }
    // NaN C: NaN != NaN, so match the variant
    let err = fit(
        &SvcParams {
            c: f64::NAN,
            ..SvcParams::default()
        },
        &x,
        &y,
    )
    .unwrap_err();
    assert!(matches!(err, SvmError::InvalidC(v) if v.is_nan()));
    assert_eq!(
        err.to_string(),
        "C must be a positive finite number, got NaN"
    );
    let err = SvcParams {
        gamma: Gamma::Value(f64::NAN),
        ..SvcParams::default()
    }
    .check()
    .unwrap_err();
    assert!(matches!(err, SvmError::InvalidGamma(v) if v.is_nan()));
}

#[test]
fn bad_data_is_named() {
    let x = Matrix::from_rows(&[vec![0.0, 1.0], vec![1.0, 0.0], vec![2.0, 2.0]]).unwrap();
    let single = Labels::new(vec![2, 2, 2], 3).unwrap();
    let err = fit(&SvcParams::default(), &x, &single).unwrap_err();
    assert_eq!(err, SvmError::SingleClass { class: 2 });
    assert_eq!(
        err.to_string(),
        "y has a single class (2): SVC needs at least two"
    );

    let short = Labels::new(vec![0, 1], 2).unwrap();
    let err = fit(&SvcParams::default(), &x, &short).unwrap_err();
    assert_eq!(
        err,
        SvmError::Data(DataError::LengthMismatch {
            x_rows: 3,
            y_len: 2
        })
    );

    let (x, y) = iris();
    let model = fit(&SvcParams::default(), &x, &y).unwrap();
    let three = Matrix::from_rows(&[vec![1.0, 2.0, 3.0]]).unwrap();
    for err in [
        model.predict(&three).unwrap_err(),
        model.decision_function(&three).unwrap_err(),
        model.decision_function_ovo(&three).unwrap_err(),
    ] {
        assert_eq!(
            err,
            SvmError::FeatureMismatch {
                got: 3,
                expected: 4
            }
        );
        assert_eq!(
            err.to_string(),
            "X has 3 features but the model was fitted on 4"
        );
    }
}

#[test]
fn only_present_classes_are_classes() {
    // codes 1 and 3 of 5 possible
    let x = Matrix::from_rows(&[vec![0.0], vec![0.2], vec![1.0], vec![1.2]]).unwrap();
    let y = Labels::new(vec![1, 1, 3, 3], 5).unwrap();
    let model = fit(
        &SvcParams {
            kernel: Kernel::Linear,
            c: 10.0,
            ..SvcParams::default()
        },
        &x,
        &y,
    )
    .unwrap();
    assert_eq!(model.classes(), &[1, 3]);
    assert_eq!(model.predict(&x).unwrap(), vec![1, 1, 3, 3]);
    assert_eq!(model.n_support().len(), 2);
    assert_eq!(model.intercepts().len(), 1);
    assert_eq!(model.n_iter().len(), 1);
    assert!(model.converged());
}

#[test]
fn decision_function_shapes_and_signs() {
    // binary: n values, positive ⇔ second class
    let (x, y) = iris();
    let keep: Vec<usize> = (50..150).collect();
    let (xb, yb) = (x.select_rows(&keep).unwrap(), y.select(&keep).unwrap());
    let model = fit(
        &SvcParams {
            c: 3.0,
            ..SvcParams::default()
        },
        &xb,
        &yb,
    )
    .unwrap();
    assert_eq!(model.classes(), &[1, 2]);
    let dec = model.decision_function(&xb).unwrap();
    let ovo = model.decision_function_ovo(&xb).unwrap();
    let pred = model.predict(&xb).unwrap();
    assert_eq!(dec.len(), xb.rows());
    assert_eq!(ovo.len(), xb.rows());
    for i in 0..xb.rows() {
        assert_eq!(dec[i], -ovo[i]);
        assert_eq!(pred[i], if ovo[i] > 0.0 { 1 } else { 2 });
        assert_eq!(dec[i] > 0.0, pred[i] == 2);
    }
    assert_eq!(model.intercepts().len(), 1);

    // three classes: n × 3 ovr values, n × 3 pair values
    let model = fit(&SvcParams::default(), &x, &y).unwrap();
    let dec = model.decision_function(&x).unwrap();
    let ovo = model.decision_function_ovo(&x).unwrap();
    let pred = model.predict(&x).unwrap();
    assert_eq!(dec.len(), 3 * x.rows());
    assert_eq!(ovo.len(), 3 * x.rows());
    assert_eq!(model.intercepts().len(), 3);
    assert_eq!(model.n_iter().len(), 3);
    for i in 0..x.rows() {
        let d = &ovo[3 * i..3 * i + 3];
        let mut votes = [0; 3];
        for (p, (a, b)) in [(0, 1), (0, 2), (1, 2)].into_iter().enumerate() {
            votes[if d[p] > 0.0 { a } else { b }] += 1;
        }
        let winner = (0..3).fold(0, |w, c| if votes[c] > votes[w] { c } else { w });
        assert_eq!(pred[i], winner as u32);
        let r = &dec[3 * i..3 * i + 3];
        for c in 0..3 {
            // votes plus a confidence in (−1/3, 1/3)
            assert!(
                (r[c] - votes[c] as f64).abs() < 1.0 / 3.0,
                "row {i}: {r:?} vs votes {votes:?}"
            );
        }
        if votes.iter().filter(|&&v| v == votes[winner]).count() == 1 {
            let best = (0..3).fold(0, |w, c| if r[c] > r[w] { c } else { w });
            assert_eq!(best, winner);
        }
    }
    let acc = model.score(&x, &y).unwrap();
    assert!(acc > 0.95, "training accuracy {acc}");
    assert_eq!(
        model.support().len(),
        model.n_support().iter().sum::<usize>()
    );
    assert!(model.gamma() > 0.0);
}

#[test]
fn balanced_class_weight_raises_the_minority_bound() {
    // 40 of class 0 against 8 of class 1, overlapping
    let mut rows = Vec::new();
    let mut codes = Vec::new();
    for i in 0..48 {
        let t = i as f64;
        let c = u32::from(i % 6 == 0);
        rows.push(vec![(t * 0.7).sin() + f64::from(c) * 0.8, (t * 1.3).cos()]);
        codes.push(c);
    }
    let x = Matrix::from_rows(&rows).unwrap();
    let y = Labels::new(codes, 2).unwrap();
    let base = SvcParams {
        c: 0.5,
        kernel: Kernel::Linear,
        ..SvcParams::default()
    };
    let uniform = fit(&base, &x, &y).unwrap();
    let balanced = fit(
        &SvcParams {
            class_weight: ClassWeight::Balanced,
            ..base.clone()
        },
        &x,
        &y,
    )
    .unwrap();
    // balanced weights: 48 / (2·40) = 0.6 and 48 / (2·8) = 3
    let explicit = fit(
        &SvcParams {
            class_weight: ClassWeight::PerClass(vec![0.6, 3.0]),
            ..base.clone()
        },
        &x,
        &y,
    )
    .unwrap();
    assert_eq!(balanced.dual_coef(), explicit.dual_coef());
    assert_eq!(balanced.intercepts(), explicit.intercepts());
    assert_ne!(uniform.dual_coef(), balanced.dual_coef());
    // every coefficient within its class bound C·w; some reach it
    let ns = balanced.n_support();
    let coef = balanced.dual_coef();
    let max0 = coef[..ns[0]].iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let max1 = coef[ns[0]..].iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(
        max0 <= 0.5 * 0.6 + 1e-12 && max1 <= 0.5 * 3.0 + 1e-12,
        "{max0} {max1}"
    );
    assert!(
        (max1 - 1.5).abs() < 1e-12,
        "the minority bound 1.5 is reached: {max1}"
    );
    let max_uniform = uniform
        .dual_coef()
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(max_uniform <= 0.5 + 1e-12);
    // more minority samples predicted as such
    let minority = |m: &tunekit_core::svm::SvcModel| {
        m.predict(&x).unwrap().iter().filter(|&&p| p == 1).count()
    };
    assert!(minority(&balanced) >= minority(&uniform));
    // a zero weight is allowed: that class's coefficients are all 0
    let zero = fit(
        &SvcParams {
            class_weight: ClassWeight::PerClass(vec![0.0, 1.0]),
            ..base
        },
        &x,
        &y,
    )
    .unwrap();
    assert!(zero.n_support()[0] == 0);
}

#[test]
fn lru_cache_gives_the_same_model_as_the_precomputed_kernel() {
    let (x, y) = iris();
    for kernel in [Kernel::Rbf, Kernel::Poly, Kernel::Linear] {
        let params = SvcParams {
            kernel,
            c: 10.0,
            ..SvcParams::default()
        };
        let dense = fit(&params, &x, &y).unwrap();
        // 150² floats need 88 KiB: 0.01 MiB forces the on-demand LRU cache
        let lru = fit(
            &SvcParams {
                cache_size_mb: 0.01,
                ..params
            },
            &x,
            &y,
        )
        .unwrap();
        assert_eq!(dense.dual_coef(), lru.dual_coef(), "{kernel:?}");
        assert_eq!(dense.intercepts(), lru.intercepts());
        assert_eq!(dense.n_iter(), lru.n_iter());
        assert_eq!(dense.support(), lru.support());
    }
}

#[test]
fn search_without_gram_and_with_lru_agrees_with_shared_gram() {
    let r = load_reference("svc_cv_iris.json", "iris.csv");
    let picks: Vec<SvcParams> = [1usize, 7, 19, 33, 49, 66, 95]
        .iter()
        .map(|&i| r.configs[i].clone())
        .collect();
    let shared = cross_validate_svc(&r.x, &r.y, &picks, &r.folds, Some(2)).unwrap();
    // no Gram matrix, and every fit's kernel through a tiny LRU cache
    let small: Vec<SvcParams> = picks
        .iter()
        .map(|p| SvcParams {
            cache_size_mb: 0.01,
            ..p.clone()
        })
        .collect();
    let options = SearchOptions {
        gram_max_rows: 0,
        kernel_memory_bytes: 1,
    };
    let independent =
        cross_validate_svc_with(&r.x, &r.y, &small, &r.folds, Some(2), &options).unwrap();
    // and a kernel-matrix budget of one matrix at a time
    let batched = cross_validate_svc_with(
        &r.x,
        &r.y,
        &picks,
        &r.folds,
        None,
        &SearchOptions {
            gram_max_rows: 1000,
            kernel_memory_bytes: 1,
        },
    )
    .unwrap();
    for c in 0..picks.len() {
        for f in 0..r.folds.len() {
            let n = r.folds[f].test.len();
            assert_eq!(
                correct(shared[c][f].accuracy, n),
                correct(independent[c][f].accuracy, n),
                "config {c} fold {f}"
            );
            assert_eq!(shared[c][f].accuracy, batched[c][f].accuracy);
            assert_eq!(shared[c][f].converged, independent[c][f].converged);
        }
    }
}

#[test]
fn results_do_not_depend_on_threads_or_runs() {
    let r = load_reference("svc_cv_wine.json", "wine.csv");
    let picks: Vec<SvcParams> = [0usize, 1, 2, 5, 9]
        .iter()
        .map(|&i| r.configs[i].clone())
        .collect();
    let a = cross_validate_svc(&r.x, &r.y, &picks, &r.folds, Some(1)).unwrap();
    let b = cross_validate_svc(&r.x, &r.y, &picks, &r.folds, Some(3)).unwrap();
    let c = cross_validate_svc(&r.x, &r.y, &picks, &r.folds, None).unwrap();
    let acc =
        |s: &Vec<Vec<tunekit_core::model_selection::search::FoldScore>>| -> Vec<Vec<(f64, bool)>> {
            s.iter()
                .map(|row| row.iter().map(|f| (f.accuracy, f.converged)).collect())
                .collect()
        };
    assert_eq!(acc(&a), acc(&b));
    assert_eq!(acc(&a), acc(&c));
    let (x, y) = blobs();
    let m1 = fit(&SvcParams::default(), &x, &y).unwrap();
    let m2 = fit(&SvcParams::default(), &x, &y).unwrap();
    assert_eq!(m1.dual_coef(), m2.dual_coef());
    assert_eq!(
        m1.decision_function(&x).unwrap(),
        m2.decision_function(&x).unwrap()
    );
}

#[test]
fn search_reports_shapes_and_timings() {
    let (x, y) = blobs();
    let folds: Vec<Fold> = (0..3)
        .map(|k| Fold {
            train: (0..30).filter(|i| i % 3 != k).collect(),
            test: (0..30).filter(|i| i % 3 == k).collect(),
        })
        .collect();
    // class i % 3 == k: every test fold holds one class only, training the other two
    let configs = vec![
        SvcParams::default(),
        SvcParams {
            kernel: Kernel::Linear,
            ..SvcParams::default()
        },
    ];
    let res = cross_validate_svc(&x, &y, &configs, &folds, None).unwrap();
    assert_eq!(res.len(), 2);
    for row in &res {
        assert_eq!(row.len(), 3);
        for s in row {
            assert_eq!(s.accuracy, 0.0, "the test class is never seen in training");
            assert!(s.fit_seconds >= 0.0 && s.score_seconds >= 0.0);
            assert!(s.converged);
        }
    }
    assert!(cross_validate_svc(&x, &y, &[], &folds, None)
        .unwrap()
        .is_empty());
    assert_eq!(
        cross_validate_svc(&x, &y, &configs, &[], None).unwrap(),
        vec![vec![], vec![]]
    );
}

#[test]
fn search_validates_before_working() {
    let (x, y) = blobs();
    let good = Fold {
        train: (0..20).collect(),
        test: (20..30).collect(),
    };
    let configs = vec![
        SvcParams::default(),
        SvcParams {
            c: -2.0,
            ..SvcParams::default()
        },
    ];
    let err = cross_validate_svc(&x, &y, &configs, std::slice::from_ref(&good), None).unwrap_err();
    assert_eq!(
        err,
        SearchError::Svm {
            config: 1,
            source: SvmError::InvalidC(-2.0)
        }
    );
    assert_eq!(
        err.to_string(),
        "config 1: C must be a positive finite number, got -2"
    );

    let configs = vec![SvcParams::default()];
    let cases = vec![
        (
            Fold {
                train: vec![],
                test: vec![1],
            },
            FoldProblem::EmptyTrain,
        ),
        (
            Fold {
                train: vec![1, 2],
                test: vec![],
            },
            FoldProblem::EmptyTest,
        ),
        (
            Fold {
                train: vec![0, 1, 2, 30],
                test: vec![3],
            },
            FoldProblem::IndexOutOfRange {
                index: 30,
                rows: 30,
            },
        ),
        (
            Fold {
                train: vec![0, 1, 2, 3],
                test: vec![3, 4],
            },
            FoldProblem::Overlap { index: 3 },
        ),
        (
            Fold {
                train: vec![0, 3, 6],
                test: vec![1],
            },
            FoldProblem::SingleClass { class: 0 },
        ),
    ];
    for (bad, problem) in cases {
        let err = cross_validate_svc(&x, &y, &configs, &[good.clone(), bad], None).unwrap_err();
        assert_eq!(
            err,
            SearchError::Fold {
                fold: 1,
                problem: problem.clone()
            }
        );
        assert!(err.to_string().starts_with("fold 1: "), "{err}");
    }
    let err =
        cross_validate_svc(&x, &y, &configs, std::slice::from_ref(&good), Some(0)).unwrap_err();
    assert_eq!(err, SearchError::NoJobs);
    let y_short = Labels::new(vec![0, 1], 2).unwrap();
    assert!(matches!(
        cross_validate_svc(&x, &y_short, &configs, &[good], None),
        Err(SearchError::Data(_))
    ));
}

#[test]
fn fit_survives_degenerate_inputs() {
    // duplicate points with opposite labels, constant features, huge values
    let x = Matrix::from_rows(&[
        vec![1.0, 1.0],
        vec![1.0, 1.0],
        vec![1.0, 1.0],
        vec![1.0, 1.0],
    ])
    .unwrap();
    let y = Labels::new(vec![0, 1, 0, 1], 2).unwrap();
    for kernel in [Kernel::Linear, Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid] {
        let m = fit(
            &SvcParams {
                kernel,
                ..SvcParams::default()
            },
            &x,
            &y,
        )
        .unwrap();
        assert_eq!(m.predict(&x).unwrap().len(), 4);
        assert_eq!(m.gamma(), 1.0, "zero variance gives gamma 1 with 'scale'");
    }
    let big =
        Matrix::from_rows(&[vec![1e150, -1e150], vec![-1e150, 1e150], vec![1e150, 1e150]]).unwrap();
    let y = Labels::new(vec![0, 1, 1], 2).unwrap();
    for kernel in [Kernel::Linear, Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid] {
        let params = SvcParams {
            kernel,
            gamma: Gamma::Value(1.0),
            max_iter: Some(10_000),
            ..SvcParams::default()
        };
        let m = fit(&params, &big, &y).unwrap();
        assert_eq!(m.predict(&big).unwrap().len(), 3);
    }
}

#[test]
fn refit_in_the_search_is_the_plain_fit() {
    use tunekit_core::model_selection::search::{best_config, cross_validate_svc_refit};
    use tunekit_core::model_selection::stratified_kfold::StratifiedKFold;
    let (x, y) = iris();
    let folds = StratifiedKFold::new(5).split(&y).unwrap();
    for (c, kernel, gamma) in [
        (1.0, Kernel::Linear, Gamma::Scale),
        (10.0, Kernel::Rbf, Gamma::Scale),
        (0.5, Kernel::Rbf, Gamma::Auto),
        (2.0, Kernel::Poly, Gamma::Value(0.3)),
    ] {
        let configs = vec![
            SvcParams {
                c,
                kernel,
                gamma,
                ..SvcParams::default()
            },
            SvcParams {
                c: 0.01,
                ..SvcParams::default()
            },
        ];
        let plain = cross_validate_svc(&x, &y, &configs, &folds, None).unwrap();
        let (scores, refit) = cross_validate_svc_refit(&x, &y, &configs, &folds, None).unwrap();
        let acc = |s: &[Vec<tunekit_core::model_selection::search::FoldScore>]| {
            s.iter()
                .map(|r| r.iter().map(|f| f.accuracy).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        assert_eq!(acc(&scores), acc(&plain));
        let refit = refit.unwrap();
        assert_eq!(Some(refit.best), best_config(&scores));
        let model = fit(&configs[refit.best], &x, &y).unwrap();
        assert_eq!(refit.model.support(), model.support());
        assert_eq!(refit.model.n_iter(), model.n_iter());
        assert_eq!(refit.model.intercepts(), model.intercepts());
        assert_eq!(refit.model.dual_coef(), model.dual_coef());
        assert_eq!(refit.model.gamma(), model.gamma());
        assert_eq!(
            refit.model.decision_function(&x).unwrap(),
            model.decision_function(&x).unwrap()
        );
    }
}
