//! Folds, splits and parameter samples against scikit-learn / numpy / scipy.
//!
//! Oracles, all written by the real libraries (scikit-learn 1.9.1, numpy
//! 2.4.6, scipy 1.17.1 on an AVX512_SKX CPU):
//! - `__test__/fixtures/sklearn_splits.json` (repository root), from
//!   `bench/make_fixtures.py`;
//! - `tests/data/reference_targets.json`: the class column of the shared
//!   reference data sets and the `test_folds` of `svc_cv_iris.json` /
//!   `svc_cv_wine.json`;
//! - `tests/data/numpy_rng_extra.json`, from `bench/make_numpy_rng_extra.py`.
//!
//! Every index list must be equal and every float bit-for-bit equal, except
//! loguniform draws (exp/log may differ from numpy's SIMD ones in the last bits).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::data::Labels;
use tunekit_core::model_selection::kfold::KFold;
use tunekit_core::model_selection::param_sampler::{
    sample_parameters, sample_without_replacement, Distribution, Sampled,
};
use tunekit_core::model_selection::split_error::{SplitError, SplitSize};
use tunekit_core::model_selection::stratified_kfold::StratifiedKFold;
use tunekit_core::model_selection::train_test_split::train_test_split;
use tunekit_core::model_selection::Fold;
use tunekit_core::random::NumpyRandomState;

fn manifest_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn load(rel: &str) -> Value {
    let path = manifest_path(rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn fixture() -> Value {
    load("../../__test__/fixtures/sklearn_splits.json")
}

fn reference() -> Value {
    load("tests/data/reference_targets.json")
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn u32s(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

fn folds_of(v: &Value) -> Vec<Vec<usize>> {
    v.as_array().unwrap().iter().map(usizes).collect()
}

fn seed_of(v: &Value) -> Option<u32> {
    v.as_u64().map(|s| s as u32)
}

/// Labels from raw codes (any non-negative ints), n_classes = max + 1.
fn labels(codes: Vec<u32>) -> Labels {
    let n_classes = codes.iter().max().map_or(0, |&m| m as usize + 1);
    Labels::new(codes, n_classes).unwrap()
}

fn dataset_labels(reference: &Value, name: &str) -> Labels {
    labels(u32s(&reference["targets"][name]))
}

fn test_sets(folds: &[Fold]) -> Vec<Vec<usize>> {
    folds.iter().map(|f| f.test.clone()).collect()
}

/// Folds partition 0..n: the tests are disjoint and cover everything, each
/// train is the sorted complement of its test.
fn assert_partition(folds: &[Fold], n: usize) {
    let mut seen = vec![false; n];
    for f in folds {
        assert!(
            f.test.windows(2).all(|w| w[0] < w[1]),
            "test not increasing"
        );
        assert!(
            f.train.windows(2).all(|w| w[0] < w[1]),
            "train not increasing"
        );
        for &i in &f.test {
            assert!(!seen[i], "sample {i} in two test folds");
            seen[i] = true;
        }
        let test: HashSet<usize> = f.test.iter().copied().collect();
        let complement: Vec<usize> = (0..n).filter(|i| !test.contains(i)).collect();
        assert_eq!(f.train, complement);
    }
    assert!(seen.iter().all(|&s| s), "some sample in no test fold");
}

// ---------------------------------------------------------------- numpy rng

#[test]
fn raw_uint32_matches_numpy() {
    let fx = fixture();
    for case in fx["raw_uint32"].as_array().unwrap() {
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        let got: Vec<u64> = (0..case["count"].as_u64().unwrap())
            .map(|_| u64::from(rs.next_u32()))
            .collect();
        let want: Vec<u64> = case["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        assert_eq!(got, want, "seed {}", case["seed"]);
    }
}

#[test]
fn permutation_matches_numpy() {
    let fx = fixture();
    let cases = fx["permutation"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let seed = case["seed"].as_u64().unwrap() as u32;
        let n = case["n"].as_u64().unwrap() as usize;
        assert_eq!(
            NumpyRandomState::new(seed).permutation(n),
            usizes(&case["result"]),
            "seed {seed}, n {n}"
        );
    }
}

#[test]
fn random_sample_matches_numpy_bit_for_bit() {
    let fx = fixture();
    for case in fx["random_sample"].as_array().unwrap() {
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        for want in case["result"].as_array().unwrap() {
            assert_eq!(
                rs.random_sample().to_bits(),
                want.as_f64().unwrap().to_bits()
            );
        }
    }
}

#[test]
fn randint_matches_numpy_in_sequence() {
    let fx = fixture();
    for case in fx["randint"].as_array().unwrap() {
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        let highs = case["highs"].as_array().unwrap();
        let want = case["result"].as_array().unwrap();
        for (high, want) in highs.iter().zip(want) {
            assert_eq!(
                rs.randint(high.as_u64().unwrap()),
                want.as_u64().unwrap(),
                "high {high}"
            );
        }
    }
}

// ---------------------------------------------------------------- splitters

#[test]
fn train_test_split_matches_sklearn() {
    let fx = fixture();
    let rf = reference();
    for case in fx["train_test_split"].as_array().unwrap() {
        let name = case["dataset"].as_str().unwrap();
        let y = dataset_labels(&rf, name);
        let n = case["n_samples"].as_u64().unwrap() as usize;
        assert_eq!(y.len(), n);
        let test_size = SplitSize::Fraction(case["test_size"].as_f64().unwrap());
        let seed = seed_of(&case["random_state"]);
        let stratify = case["stratify"].as_bool().unwrap().then_some(&y);
        let (train, test) = train_test_split(n, test_size, None, seed, stratify).unwrap();
        assert_eq!(
            train,
            usizes(&case["train"]),
            "{name} {test_size} {seed:?} train"
        );
        assert_eq!(
            test,
            usizes(&case["test"]),
            "{name} {test_size} {seed:?} test"
        );
    }
}

#[test]
fn seed_walkthrough_split_matches_sklearn() {
    let fx = fixture();
    let split = &fx["seed_grid"]["split"];
    let (train, test) = train_test_split(
        150,
        SplitSize::Fraction(split["test_size"].as_f64().unwrap()),
        None,
        seed_of(&split["random_state"]),
        None,
    )
    .unwrap();
    assert_eq!(train, usizes(&split["train"]));
    assert_eq!(test, usizes(&split["test"]));
}

#[test]
fn kfold_matches_sklearn() {
    let fx = fixture();
    for case in fx["kfold"].as_array().unwrap() {
        let n = case["n_samples"].as_u64().unwrap() as usize;
        let cv = KFold {
            n_splits: case["n_splits"].as_u64().unwrap() as usize,
            shuffle: case["shuffle"].as_bool().unwrap(),
            seed: seed_of(&case["random_state"]),
        };
        let folds = cv.split(n).unwrap();
        assert_eq!(
            test_sets(&folds),
            folds_of(&case["test_folds"]),
            "{cv:?} n={n}"
        );
        assert_partition(&folds, n);
    }
}

#[test]
fn stratified_kfold_matches_sklearn() {
    let fx = fixture();
    let rf = reference();
    for case in fx["stratified_kfold"].as_array().unwrap() {
        let name = case["dataset"].as_str().unwrap();
        let y = match case.get("y") {
            Some(y) => labels(u32s(y)),
            None => dataset_labels(&rf, name),
        };
        let cv = StratifiedKFold {
            n_splits: case["n_splits"].as_u64().unwrap() as usize,
            shuffle: case["shuffle"].as_bool().unwrap(),
            seed: seed_of(&case["random_state"]),
        };
        let folds = cv.split(&y).unwrap();
        assert_eq!(
            test_sets(&folds),
            folds_of(&case["test_folds"]),
            "{name} {cv:?}"
        );
        assert_partition(&folds, y.len());
    }
}

#[test]
fn stratified_kfold_matches_svc_cv_references() {
    let rf = reference();
    for name in ["iris", "wine"] {
        let y = dataset_labels(&rf, name);
        let folds = StratifiedKFold::new(5).split(&y).unwrap();
        assert_eq!(
            test_sets(&folds),
            folds_of(&rf["svc_cv_test_folds"][name]),
            "{name}"
        );
    }
}

// -------------------------------------------------------- parameter sampler

#[test]
fn parameter_sampler_matches_sklearn() {
    let fx = fixture();
    let mut cases: Vec<(Value, usize, Option<u32>, Value)> = fx["parameter_sampler"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["space"].clone(),
                c["n_iter"].as_u64().unwrap() as usize,
                seed_of(&c["random_state"]),
                c["samples"].clone(),
            )
        })
        .collect();
    // RandomizedSearchCV of the seed walkthrough: same sampler.
    let rs = &fx["seed_grid"]["randomized_search"];
    cases.push((
        rs["param_distributions"].clone(),
        rs["n_iter"].as_u64().unwrap() as usize,
        seed_of(&rs["random_state"]),
        rs["params"].clone(),
    ));
    assert!(cases.len() > 10);
    check_sampler_cases(cases);
}

fn check_sampler_cases(cases: Vec<(Value, usize, Option<u32>, Value)>) {
    for (space, n_iter, seed, samples) in cases {
        let space = space.as_object().unwrap();
        let params: Vec<(String, Distribution)> = space
            .iter()
            .map(|(name, d)| {
                let dist = if let Some(choices) = d.get("choices") {
                    Distribution::Choice(choices.as_array().unwrap().len())
                } else {
                    match d["dist"].as_str().unwrap() {
                        "uniform" => Distribution::Uniform {
                            loc: d["loc"].as_f64().unwrap(),
                            scale: d["scale"].as_f64().unwrap(),
                        },
                        "loguniform" => Distribution::LogUniform {
                            a: d["a"].as_f64().unwrap(),
                            b: d["b"].as_f64().unwrap(),
                        },
                        "randint" => Distribution::RandInt {
                            low: d["low"].as_i64().unwrap(),
                            high: d["high"].as_i64().unwrap(),
                        },
                        other => panic!("unknown distribution {other}"),
                    }
                };
                (name.clone(), dist)
            })
            .collect();
        let got = sample_parameters(&params, n_iter, seed).unwrap();
        let want = samples.as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{space:?} seed {seed:?}");
        for (i, (setting, expected)) in got.iter().zip(want).enumerate() {
            let names: Vec<&str> = setting.iter().map(|(n, _)| n.as_str()).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            assert_eq!(names, sorted, "names in sorted order");
            assert_eq!(setting.len(), expected.as_object().unwrap().len());
            for (name, value) in setting {
                let exp = &expected[name.as_str()];
                let ctx = format!("{space:?} seed {seed:?} sample {i} `{name}`");
                match value {
                    Sampled::Float(x) => {
                        // uniform is bit-exact; loguniform goes through exp/log,
                        // where numpy's SIMD versions and the C library's may
                        // differ in the last bits.
                        let want = exp.as_f64().unwrap();
                        let ulps = if space[name.as_str()]["dist"] == "loguniform" {
                            8.0
                        } else {
                            0.0
                        };
                        assert!(
                            (x - want).abs() <= ulps * f64::EPSILON * want.abs(),
                            "{ctx}: {x} vs {want}"
                        );
                    }
                    Sampled::Int(k) => assert_eq!(*k, exp.as_i64().unwrap(), "{ctx}"),
                    Sampled::Index(j) => {
                        assert_eq!(&space[name.as_str()]["choices"][*j], exp, "{ctx}")
                    }
                }
            }
        }
    }
}

fn extra() -> Value {
    load("tests/data/numpy_rng_extra.json")
}

#[test]
fn extra_parameter_sampler_cases_match_sklearn() {
    // Odd names ("A" < "_z" < "a" < "b"), wide randint and loguniform ranges,
    // and grids sampled in the tracking-selection and permutation regimes.
    let cases = extra()["parameter_sampler"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["space"].clone(),
                c["n_iter"].as_u64().unwrap() as usize,
                seed_of(&c["random_state"]),
                c["samples"].clone(),
            )
        })
        .collect();
    check_sampler_cases(cases);
}

#[test]
fn randint_across_32_bit_boundary_matches_numpy() {
    let ex = extra();
    for case in ex["randint"].as_array().unwrap() {
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        let highs = case["highs"].as_array().unwrap();
        let want = case["result"].as_array().unwrap();
        for (high, want) in highs.iter().zip(want) {
            assert_eq!(
                rs.randint(high.as_u64().unwrap()),
                want.as_u64().unwrap(),
                "high {high}"
            );
        }
        let next = case["next_random_sample"].as_f64().unwrap();
        assert_eq!(rs.random_sample().to_bits(), next.to_bits());
    }
    for case in ex["randint_between"].as_array().unwrap() {
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        let bounds = case["bounds"].as_array().unwrap();
        for (b, want) in bounds.iter().zip(case["result"].as_array().unwrap()) {
            let (lo, hi) = (b[0].as_i64().unwrap(), b[1].as_i64().unwrap());
            assert_eq!(
                rs.randint_between(lo, hi),
                Some(want.as_i64().unwrap()),
                "[{lo}, {hi})"
            );
        }
    }
}

#[test]
fn sample_without_replacement_matches_sklearn() {
    for case in extra()["sample_without_replacement"].as_array().unwrap() {
        let (p, k) = (
            case["n_population"].as_u64().unwrap() as usize,
            case["n_samples"].as_u64().unwrap() as usize,
        );
        let mut rs = NumpyRandomState::new(case["seed"].as_u64().unwrap() as u32);
        assert_eq!(
            sample_without_replacement(p, k, &mut rs),
            usizes(&case["result"]),
            "{p}, {k}"
        );
    }
}

// --------------------------------------------------------------- invariants

#[test]
fn kfold_sizes_and_partition() {
    for n in [2usize, 5, 23, 150] {
        for k in 2..=n.min(7) {
            for cv in [
                KFold::new(k),
                KFold::shuffled(k, Some(9)),
                KFold::shuffled(k, None),
            ] {
                let folds = cv.split(n).unwrap();
                assert_eq!(folds.len(), k);
                assert_partition(&folds, n);
                for (i, f) in folds.iter().enumerate() {
                    assert_eq!(f.test.len(), n / k + usize::from(i < n % k));
                }
            }
        }
    }
    // No seed means the documented default seed, so two runs agree.
    assert_eq!(
        KFold::shuffled(5, None).split(40),
        KFold::shuffled(5, Some(0)).split(40)
    );
}

#[test]
fn stratified_kfold_keeps_class_proportions() {
    let rf = reference();
    for name in ["iris", "wine", "breast_cancer", "digits"] {
        let y = dataset_labels(&rf, name);
        let counts = y.counts();
        for cv in [
            StratifiedKFold::new(5),
            StratifiedKFold::shuffled(4, Some(1)),
        ] {
            let folds = cv.split(&y).unwrap();
            assert_partition(&folds, y.len());
            for f in &folds {
                let fold_counts = y.select(&f.test).unwrap().counts();
                for (c, (&in_fold, &total)) in fold_counts.iter().zip(&counts).enumerate() {
                    // Each class is spread as evenly as possible: floor or ceil of total / k.
                    let k = cv.n_splits;
                    assert!(
                        in_fold == total / k || in_fold == total.div_ceil(k),
                        "{name} class {c}: {in_fold} of {total}"
                    );
                }
            }
        }
    }
}

#[test]
fn stratified_train_test_split_keeps_class_proportions() {
    let rf = reference();
    for name in ["iris", "wine", "breast_cancer", "digits"] {
        let y = dataset_labels(&rf, name);
        let n = y.len();
        for (seed, frac) in [(0u32, 0.2), (5, 0.33), (11, 0.5)] {
            let (train, test) =
                train_test_split(n, SplitSize::Fraction(frac), None, Some(seed), Some(&y)).unwrap();
            let n_test = (frac * n as f64).ceil() as usize;
            assert_eq!(test.len(), n_test);
            assert_eq!(train.len(), n - n_test);
            let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
            let counts = y.counts();
            let test_counts = y.select(&test).unwrap().counts();
            for (&t, &c) in test_counts.iter().zip(&counts) {
                let exact = c as f64 * n_test as f64 / n as f64;
                assert!((t as f64 - exact).abs() <= 1.0, "{name}: {t} vs {exact}");
            }
        }
    }
}

#[test]
fn train_test_split_sizes() {
    let (train, test) = train_test_split(
        10,
        SplitSize::Count(3),
        Some(SplitSize::Count(4)),
        Some(1),
        None,
    )
    .unwrap();
    assert_eq!((train.len(), test.len()), (4, 3));
    let (train, test) = train_test_split(
        10,
        SplitSize::Fraction(0.25),
        Some(SplitSize::Fraction(0.5)),
        None,
        None,
    )
    .unwrap();
    assert_eq!((train.len(), test.len()), (5, 3));
}

#[test]
fn grid_sampling_without_replacement_covers_grid() {
    let params = vec![
        ("a".to_owned(), Distribution::Choice(3)),
        ("b".to_owned(), Distribution::Choice(4)),
    ];
    let all = sample_parameters(&params, 100, Some(3)).unwrap();
    // n_iter beyond the grid: the whole grid in ParameterGrid order (b fastest).
    assert_eq!(all.len(), 12);
    for (i, s) in all.iter().enumerate() {
        assert_eq!(
            s,
            &vec![
                ("a".to_owned(), Sampled::Index(i / 4)),
                ("b".to_owned(), Sampled::Index(i % 4))
            ]
        );
    }
    let some = sample_parameters(&params, 7, Some(3)).unwrap();
    let distinct: HashSet<String> = some.iter().map(|s| format!("{s:?}")).collect();
    assert_eq!(distinct.len(), 7);
    // Large grid, few samples (tracking selection) and many samples (reservoir).
    let big = vec![
        ("x".to_owned(), Distribution::Choice(1000)),
        ("y".to_owned(), Distribution::Choice(100)),
    ];
    for n_iter in [5, 99_995] {
        let s = sample_parameters(&big, n_iter, Some(8)).unwrap();
        let distinct: HashSet<String> = s.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(distinct.len(), n_iter);
    }
}

#[test]
fn sampled_values_in_range() {
    let params = vec![
        (
            "u".to_owned(),
            Distribution::Uniform {
                loc: -2.0,
                scale: 3.0,
            },
        ),
        ("l".to_owned(), Distribution::LogUniform { a: 1e-5, b: 1e2 }),
        ("r".to_owned(), Distribution::RandInt { low: -3, high: 4 }),
        (
            "big".to_owned(),
            Distribution::RandInt {
                low: i64::MIN,
                high: i64::MAX,
            },
        ),
        ("c".to_owned(), Distribution::Choice(5)),
    ];
    for s in sample_parameters(&params, 500, None).unwrap() {
        for (name, v) in s {
            match (name.as_str(), v) {
                ("u", Sampled::Float(x)) => assert!((-2.0..1.0).contains(&x)),
                ("l", Sampled::Float(x)) => assert!((1e-5..=1e2).contains(&x)),
                ("r", Sampled::Int(k)) => assert!((-3..4).contains(&k)),
                ("big", Sampled::Int(k)) => assert!(k < i64::MAX),
                ("c", Sampled::Index(j)) => assert!(j < 5),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

// ------------------------------------------------------------------- errors

fn msg<T: std::fmt::Debug>(r: Result<T, SplitError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn fold_errors() {
    assert_eq!(
        msg(KFold::new(1).split(10)),
        "n_splits=1: cross-validation needs at least 2 splits"
    );
    assert_eq!(
        msg(KFold::new(11).split(10)),
        "n_splits=11 is larger than the number of samples (10)"
    );
    let y = labels(vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2]);
    assert_eq!(
        msg(StratifiedKFold::new(5).split(&y)),
        "cv=5 is larger than the smallest class (class 2 has 3 samples)"
    );
    assert_eq!(
        msg(StratifiedKFold::new(0).split(&y)),
        "n_splits=0: cross-validation needs at least 2 splits"
    );
    assert_eq!(
        msg(StratifiedKFold::new(14).split(&y)),
        "n_splits=14 is larger than the number of samples (13)"
    );
    assert_eq!(
        msg(StratifiedKFold::new(2).split(&labels(vec![]))),
        "n_splits=2 is larger than the number of samples (0)"
    );
}

#[test]
fn split_errors() {
    let y = labels(vec![0, 0, 1, 1, 1, 2, 2, 2, 2, 2]);
    let tts = |te, tr, strat: Option<&Labels>| train_test_split(10, te, tr, Some(0), strat);
    assert_eq!(
        msg(tts(SplitSize::Fraction(1.0), None, None)),
        "test_size=1 should be either a count in 1..10 (below n_samples=10) or a fraction in the open interval (0, 1)"
    );
    assert_eq!(
        msg(tts(SplitSize::Fraction(f64::NAN), None, None)),
        "test_size=NaN should be either a count in 1..10 (below n_samples=10) or a fraction in the open interval (0, 1)"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(10), None, None)),
        "test_size=10 should be either a count in 1..10 (below n_samples=10) or a fraction in the open interval (0, 1)"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(2), Some(SplitSize::Count(0)), None)),
        "train_size=0 should be either a count in 1..10 (below n_samples=10) or a fraction in the open interval (0, 1)"
    );
    assert_eq!(
        msg(tts(
            SplitSize::Fraction(0.6),
            Some(SplitSize::Fraction(0.5)),
            None
        )),
        "test_size + train_size = 1.1 is more than 1: reduce test_size and/or train_size"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(6), Some(SplitSize::Count(5)), None)),
        "train_size + test_size = 11 samples is more than the 10 samples available: reduce test_size and/or train_size"
    );
    assert_eq!(
        msg(train_test_split(
            1,
            SplitSize::Fraction(0.5),
            None,
            None,
            None
        )),
        "with n_samples=1, test_size=0.5 and train_size=None, the train set would be empty"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(3), None, Some(&labels(vec![0, 1])))),
        "stratify has 2 labels but there are 10 samples: they must have the same length"
    );
    assert_eq!(
        msg(tts(
            SplitSize::Count(3),
            None,
            Some(&labels(vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 2]))
        )),
        "class 2 has only 1 sample: stratified splitting needs at least 2 samples of every class"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(2), None, Some(&y))),
        "the test set would have 2 samples, fewer than the 3 classes: stratified splitting needs at least one sample of each class in it"
    );
    assert_eq!(
        msg(tts(SplitSize::Count(8), None, Some(&y))),
        "the train set would have 2 samples, fewer than the 3 classes: stratified splitting needs at least one sample of each class in it"
    );
}

#[test]
fn sampler_errors() {
    let one = |name: &str, d| vec![(name.to_owned(), d)];
    assert_eq!(
        msg(sample_parameters(
            &one(
                "C",
                Distribution::Uniform {
                    loc: 0.0,
                    scale: 0.0
                }
            ),
            5,
            None
        )),
        "parameter `C`: uniform(loc=0, scale=0) needs a finite loc and a finite scale > 0"
    );
    assert_eq!(
        msg(sample_parameters(
            &one(
                "C",
                Distribution::Uniform {
                    loc: f64::INFINITY,
                    scale: 1.0
                }
            ),
            5,
            None
        )),
        "parameter `C`: uniform(loc=inf, scale=1) needs a finite loc and a finite scale > 0"
    );
    assert_eq!(
        msg(sample_parameters(
            &one("gamma", Distribution::LogUniform { a: 0.0, b: 1.0 }),
            5,
            None
        )),
        "parameter `gamma`: loguniform(a=0, b=1) needs finite bounds with 0 < a < b"
    );
    assert_eq!(
        msg(sample_parameters(
            &one("gamma", Distribution::LogUniform { a: 2.0, b: 1.0 }),
            5,
            None
        )),
        "parameter `gamma`: loguniform(a=2, b=1) needs finite bounds with 0 < a < b"
    );
    assert_eq!(
        msg(sample_parameters(
            &one("degree", Distribution::RandInt { low: 3, high: 3 }),
            5,
            None
        )),
        "parameter `degree`: randint(low=3, high=3) needs low < high (high is excluded)"
    );
    assert_eq!(
        msg(sample_parameters(
            &one("kernel", Distribution::Choice(0)),
            5,
            None
        )),
        "parameter `kernel`: the list of values is empty"
    );
    assert_eq!(
        msg(sample_parameters(
            &one("kernel", Distribution::Choice(2)),
            0,
            None
        )),
        "n_iter=0: at least one parameter setting must be sampled"
    );
    let dup = vec![
        ("C".to_owned(), Distribution::Choice(2)),
        ("C".to_owned(), Distribution::Choice(3)),
    ];
    assert_eq!(
        msg(sample_parameters(&dup, 3, None)),
        "parameter `C` appears more than once"
    );
    let huge = vec![
        ("a".to_owned(), Distribution::Choice(usize::MAX)),
        ("b".to_owned(), Distribution::Choice(2)),
    ];
    assert_eq!(
        msg(sample_parameters(&huge, 3, None)),
        "the grid of all list values has more points than fit in memory (overflow at parameter `b`)"
    );
}
