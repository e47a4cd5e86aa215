//! Search spaces: the one space format every tuner shares, and its encoding
//! to the unit cube.
//!
//! A [`Space`] is an ordered list of named parameters, each a float (linear or
//! log scale, optionally on a step grid), an integer (linear or log, with a
//! step) or a categorical choice among `n` values. Points cross the API in
//! *value* form: one `f64` per parameter holding the float, the integer, or
//! the index of the category.
//!
//! Model-based samplers work in *encoded* form: numerical parameters mapped to
//! [0, 1] (log scale in log space; discrete ones padded by half a step on each
//! side so every level gets the same width), categorical parameters kept as
//! their index (surrogates treat them with their own distance). [`Space::decode`]
//! rounds an encoded point to the nearest valid value and
//! [`Space::project`] = encode ∘ decode is the rounding transformation of
//! Garrido-Merchán & Hernández-Lobato (*Dealing with categorical and
//! integer-valued variables in Bayesian optimization with Gaussian processes*,
//! Neurocomputing 380, 2020), applied inside the kernel.

use thiserror::Error;

use crate::random::{sobol_point, NumpyRandomState};

/// Errors of space definitions and of points checked against a space.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SpaceError {
    #[error("the search space is empty: give at least one parameter")]
    Empty,
    #[error("parameter {0:?} appears more than once")]
    DuplicateName(String),
    #[error("parameter {name:?}: low must not exceed high, got low={low}, high={high}")]
    InvalidBounds { name: String, low: f64, high: f64 },
    #[error("parameter {name:?}: a log scale needs low > 0, got low={low}")]
    LogNonPositive { name: String, low: f64 },
    #[error("parameter {name:?}: step must be a positive number, got {step}")]
    InvalidStep { name: String, step: f64 },
    #[error("parameter {name:?}: high − low = {range} is not a multiple of step = {step}")]
    StepNotDividing { name: String, range: f64, step: f64 },
    #[error("parameter {name:?}: a log scale cannot be combined with a step")]
    LogWithStep { name: String },
    #[error("parameter {name:?}: a categorical parameter needs at least one choice")]
    NoChoices { name: String },
    #[error("a point has {got} values but the space has {expected} parameters")]
    WrongLength { expected: usize, got: usize },
    #[error("parameter {name:?}: {value} is outside its domain ({domain})")]
    OutOfDomain {
        name: String,
        value: f64,
        domain: String,
    },
}

/// The values a parameter may take.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// A real number in `[low, high]`; on a log scale, or on the grid `low + k·step`.
    Float {
        low: f64,
        high: f64,
        log: bool,
        step: Option<f64>,
    },
    /// An integer in `low..=high` on the grid `low + k·step`, optionally on a log scale (step 1).
    Int {
        low: i64,
        high: i64,
        log: bool,
        step: i64,
    },
    /// One of `n_choices` categories, given by index.
    Categorical { n_choices: usize },
}

/// A named parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub domain: Domain,
}

/// How a surrogate should treat one encoded dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimKind {
    /// A real number in [0, 1].
    Continuous,
    /// `levels` equally wide levels of [0, 1] (integers, stepped floats).
    Discrete { levels: usize },
    /// A category index in `0..n`.
    Categorical { n: usize },
}

/// A validated search space.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    params: Vec<Param>,
}

fn check_domain(name: &str, d: &Domain) -> Result<(), SpaceError> {
    let bounds = |low: f64, high: f64| {
        // low == high is a fixed parameter (as in Optuna): valid, encoded at 0.5.
        if !(low.is_finite() && high.is_finite() && low <= high) {
            return Err(SpaceError::InvalidBounds {
                name: name.into(),
                low,
                high,
            });
        }
        Ok(())
    };
    match *d {
        Domain::Float {
            low,
            high,
            log,
            step,
        } => {
            bounds(low, high)?;
            if log && low <= 0.0 {
                return Err(SpaceError::LogNonPositive {
                    name: name.into(),
                    low,
                });
            }
            if let Some(step) = step {
                if log {
                    return Err(SpaceError::LogWithStep { name: name.into() });
                }
                if !(step.is_finite() && step > 0.0) {
                    return Err(SpaceError::InvalidStep {
                        name: name.into(),
                        step,
                    });
                }
                let k = (high - low) / step;
                if (k - k.round()).abs() > 1e-9 * k.max(1.0) {
                    return Err(SpaceError::StepNotDividing {
                        name: name.into(),
                        range: high - low,
                        step,
                    });
                }
            }
        }
        Domain::Int {
            low,
            high,
            log,
            step,
        } => {
            if low > high {
                return Err(SpaceError::InvalidBounds {
                    name: name.into(),
                    low: low as f64,
                    high: high as f64,
                });
            }
            if log && low <= 0 {
                return Err(SpaceError::LogNonPositive {
                    name: name.into(),
                    low: low as f64,
                });
            }
            if step < 1 {
                return Err(SpaceError::InvalidStep {
                    name: name.into(),
                    step: step as f64,
                });
            }
            if log && step != 1 {
                return Err(SpaceError::LogWithStep { name: name.into() });
            }
            // i128: high − low cannot overflow.
            if (i128::from(high) - i128::from(low)) % i128::from(step) != 0 {
                return Err(SpaceError::StepNotDividing {
                    name: name.into(),
                    range: (i128::from(high) - i128::from(low)) as f64,
                    step: step as f64,
                });
            }
        }
        Domain::Categorical { n_choices } => {
            if n_choices == 0 {
                return Err(SpaceError::NoChoices { name: name.into() });
            }
        }
    }
    Ok(())
}

/// The encoded interval of a numerical domain and its grid, if any, in the
/// transformed (possibly log) scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    lo: f64,
    hi: f64,
    /// `(origin, step)` of the value grid.
    step: Option<(f64, f64)>,
    min: f64,
    max: f64,
}

impl Scale {
    /// Snaps a value onto the grid and into the bounds.
    #[inline]
    fn finish(&self, v: f64) -> f64 {
        let v = match self.step {
            Some((origin, step)) => origin + ((v - origin) / step).round() * step,
            None => v,
        };
        v.clamp(self.min, self.max)
    }

    #[inline]
    fn unit_of(&self, t: f64) -> f64 {
        if self.hi > self.lo {
            ((t - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
        } else {
            // a fixed parameter (low == high): one value, in the middle
            0.5
        }
    }

    #[inline]
    fn scaled_at(&self, u: f64) -> f64 {
        self.lo + u.clamp(0.0, 1.0) * (self.hi - self.lo)
    }
}

/// A domain's map between values and encoded coordinates, with the bounds
/// (and their logarithms) worked out once: what code that encodes and
/// decodes many points keeps per parameter. [`Domain::encode`] and
/// [`Domain::decode`] go through it, so both give the same numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Codec {
    /// A category index, encoded as itself; `last` = number of choices − 1.
    Categorical { last: f64 },
    /// A linear numerical scale.
    Linear(Scale),
    /// A logarithmic numerical scale.
    Log(Scale),
}

impl Codec {
    /// The encoded coordinate of a valid value.
    #[inline]
    pub fn encode(&self, v: f64) -> f64 {
        match self {
            Codec::Categorical { .. } => v,
            Codec::Linear(s) => s.unit_of(v),
            Codec::Log(s) => s.unit_of(v.ln()),
        }
    }

    /// The valid value nearest to an encoded coordinate (clamped, rounded to the grid).
    #[inline]
    pub fn decode(&self, u: f64) -> f64 {
        let u = if u.is_finite() { u } else { 0.0 };
        match self {
            Codec::Categorical { last } => u.round().clamp(0.0, *last),
            Codec::Linear(s) => s.finish(s.scaled_at(u)),
            Codec::Log(s) => s.finish(s.scaled_at(u).exp()),
        }
    }
}

impl Domain {
    /// The domain's encoding, for repeated use (see [`Codec`]).
    pub fn codec(&self) -> Codec {
        match *self {
            Domain::Float {
                low,
                high,
                log: true,
                ..
            } => Codec::Log(Scale {
                lo: low.ln(),
                hi: high.ln(),
                step: None,
                min: low,
                max: high,
            }),
            Domain::Float {
                low,
                high,
                log: false,
                step: None,
            } => Codec::Linear(Scale {
                lo: low,
                hi: high,
                step: None,
                min: low,
                max: high,
            }),
            Domain::Float {
                low,
                high,
                log: false,
                step: Some(s),
            } => Codec::Linear(Scale {
                lo: low - s / 2.0,
                hi: high + s / 2.0,
                step: Some((low, s)),
                min: low,
                max: high,
            }),
            Domain::Int {
                low,
                high,
                log: true,
                ..
            } => {
                let (l, h) = (low as f64, high as f64);
                Codec::Log(Scale {
                    lo: (l - 0.5).ln(),
                    hi: (h + 0.5).ln(),
                    step: Some((l, 1.0)),
                    min: l,
                    max: h,
                })
            }
            Domain::Int {
                low,
                high,
                log: false,
                step,
            } => {
                let (l, h, s) = (low as f64, high as f64, step as f64);
                Codec::Linear(Scale {
                    lo: l - s / 2.0,
                    hi: h + s / 2.0,
                    step: Some((l, s)),
                    min: l,
                    max: h,
                })
            }
            Domain::Categorical { n_choices } => Codec::Categorical {
                last: n_choices.saturating_sub(1) as f64,
            },
        }
    }

    /// Number of distinct values, if finite.
    pub fn levels(&self) -> Option<usize> {
        match *self {
            Domain::Float {
                low,
                high,
                step: Some(s),
                ..
            } => Some(((high - low) / s).round() as usize + 1),
            Domain::Float { .. } => None,
            Domain::Int {
                low, high, step, ..
            } => Some(
                ((i128::from(high) - i128::from(low)) / i128::from(step))
                    .min(usize::MAX as i128 - 1) as usize
                    + 1,
            ),
            Domain::Categorical { n_choices } => Some(n_choices),
        }
    }

    /// Whether `v` is a valid value of this domain (on its grid, integral, in range).
    pub fn contains(&self, v: f64) -> bool {
        if !v.is_finite() {
            return false;
        }
        match *self {
            Domain::Float {
                low, high, step, ..
            } => {
                v >= low
                    && v <= high
                    && step.is_none_or(|s| {
                        let k = (v - low) / s;
                        (k - k.round()).abs() <= 1e-9 * k.abs().max(1.0)
                    })
            }
            Domain::Int {
                low, high, step, ..
            } => {
                v.fract() == 0.0
                    && v >= low as f64
                    && v <= high as f64
                    && (i128::from(v as i64) - i128::from(low)) % i128::from(step) == 0
            }
            Domain::Categorical { n_choices } => {
                v.fract() == 0.0 && v >= 0.0 && (v as usize) < n_choices
            }
        }
    }

    fn describe(&self) -> String {
        match *self {
            Domain::Float {
                low,
                high,
                log,
                step,
            } => {
                format!(
                    "float in [{low}, {high}]{}{}",
                    if log { ", log" } else { "" },
                    step.map_or(String::new(), |s| format!(", step {s}"))
                )
            }
            Domain::Int {
                low,
                high,
                log,
                step,
            } => {
                format!(
                    "integer in [{low}, {high}]{}{}",
                    if log { ", log" } else { "" },
                    if step != 1 {
                        format!(", step {step}")
                    } else {
                        String::new()
                    }
                )
            }
            Domain::Categorical { n_choices } => format!("category index in 0..{n_choices}"),
        }
    }

    /// The encoded coordinate of a valid value.
    pub fn encode(&self, v: f64) -> f64 {
        self.codec().encode(v)
    }

    /// The valid value nearest to an encoded coordinate (clamped, rounded to the grid).
    pub fn decode(&self, u: f64) -> f64 {
        self.codec().decode(u)
    }
}

impl Space {
    /// Validates the parameters (non-empty, unique names, valid domains).
    pub fn new(params: Vec<Param>) -> Result<Self, SpaceError> {
        if params.is_empty() {
            return Err(SpaceError::Empty);
        }
        for (i, p) in params.iter().enumerate() {
            if params[..i].iter().any(|q| q.name == p.name) {
                return Err(SpaceError::DuplicateName(p.name.clone()));
            }
            check_domain(&p.name, &p.domain)?;
        }
        Ok(Self { params })
    }

    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// Number of parameters (= encoded dimensions).
    pub fn len(&self) -> usize {
        self.params.len()
    }

    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// How a surrogate should treat each encoded dimension.
    pub fn dim_kinds(&self) -> Vec<DimKind> {
        self.params
            .iter()
            .map(|p| match p.domain {
                Domain::Categorical { n_choices } => DimKind::Categorical { n: n_choices },
                ref d => d
                    .levels()
                    .map_or(DimKind::Continuous, |levels| DimKind::Discrete { levels }),
            })
            .collect()
    }

    /// Checks that a point in value form is valid: right length, every value in its domain.
    pub fn check_point(&self, values: &[f64]) -> Result<(), SpaceError> {
        if values.len() != self.params.len() {
            return Err(SpaceError::WrongLength {
                expected: self.params.len(),
                got: values.len(),
            });
        }
        for (p, &v) in self.params.iter().zip(values) {
            if !p.domain.contains(v) {
                return Err(SpaceError::OutOfDomain {
                    name: p.name.clone(),
                    value: v,
                    domain: p.domain.describe(),
                });
            }
        }
        Ok(())
    }

    /// A point in value form, encoded.
    pub fn encode(&self, values: &[f64]) -> Vec<f64> {
        self.params
            .iter()
            .zip(values)
            .map(|(p, &v)| p.domain.encode(v))
            .collect()
    }

    /// An encoded point decoded to the nearest valid values.
    pub fn decode(&self, encoded: &[f64]) -> Vec<f64> {
        self.params
            .iter()
            .zip(encoded)
            .map(|(p, &u)| p.domain.decode(u))
            .collect()
    }

    /// `encode(decode(u))`: an encoded point moved onto the valid grid.
    pub fn project(&self, encoded: &[f64]) -> Vec<f64> {
        self.params
            .iter()
            .zip(encoded)
            .map(|(p, &u)| p.domain.encode(p.domain.decode(u)))
            .collect()
    }

    /// The value form of a point drawn from uniform coordinates in [0, 1)
    /// (one per parameter; categories drawn uniformly too).
    pub fn from_unit(&self, unit: &[f64]) -> Vec<f64> {
        self.params
            .iter()
            .zip(unit)
            .map(|(p, &u)| match p.domain {
                Domain::Categorical { n_choices } => {
                    ((u * n_choices as f64).floor()).min((n_choices - 1) as f64)
                }
                ref d => d.decode(u),
            })
            .collect()
    }
}

impl Space {
    /// Points `start .. start + n` of the Owen-scrambled Sobol sequence for
    /// `seed`, in value form ([`Space::from_unit`] of each point): a
    /// low-discrepancy design whose point `i` depends only on `i` and the
    /// seed, so workers that number their trials can each take their own.
    pub fn sobol_points(&self, start: u64, n: usize, seed: u64) -> Vec<Vec<f64>> {
        (0..n as u64)
            .map(|i| self.from_unit(&sobol_point(start.saturating_add(i), self.len(), seed)))
            .collect()
    }

    /// `n` points drawn uniformly (in the encoded space: log-uniform on log
    /// scales, every integer and category equally likely), seeded.
    pub fn random_points(&self, n: usize, seed: u32) -> Vec<Vec<f64>> {
        let mut rng = NumpyRandomState::new(seed);
        (0..n)
            .map(|_| {
                let unit: Vec<f64> = (0..self.params.len())
                    .map(|_| rng.random_sample())
                    .collect();
                self.from_unit(&unit)
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn p(name: &str, domain: Domain) -> Param {
        Param {
            name: name.into(),
            domain,
        }
    }

    fn demo() -> Space {
        Space::new(vec![
            p(
                "C",
                Domain::Float {
                    low: 1e-2,
                    high: 1e3,
                    log: true,
                    step: None,
                },
            ),
            p(
                "gamma",
                Domain::Float {
                    low: 1e-4,
                    high: 1e-1,
                    log: false,
                    step: None,
                },
            ),
            p(
                "degree",
                Domain::Int {
                    low: 2,
                    high: 5,
                    log: false,
                    step: 1,
                },
            ),
            p("kernel", Domain::Categorical { n_choices: 2 }),
        ])
        .unwrap()
    }

    #[test]
    fn round_trips_valid_points() {
        let s = demo();
        let v = [10.0, 0.05, 4.0, 1.0];
        s.check_point(&v).unwrap();
        let back = s.decode(&s.encode(&v));
        assert!((back[0] - 10.0).abs() < 1e-9 && (back[1] - 0.05).abs() < 1e-12);
        assert_eq!(&back[2..], &[4.0, 1.0]);
    }

    #[test]
    fn log_scale_puts_the_geometric_middle_at_one_half() {
        let s = demo();
        assert!((s.encode(&[1.0, 1e-4, 2.0, 0.0])[0] - 0.4).abs() < 1e-12); // 1 is 2/5 of the way in log10 from 1e-2 to 1e3
    }

    #[test]
    fn integers_get_equal_widths() {
        let d = Domain::Int {
            low: 2,
            high: 5,
            log: false,
            step: 1,
        };
        // four levels, each a quarter of [0, 1]
        assert_eq!(d.decode(0.0), 2.0);
        assert_eq!(d.decode(0.2499), 2.0);
        assert_eq!(d.decode(0.2501), 3.0);
        assert_eq!(d.decode(1.0), 5.0);
        assert!((d.encode(2.0) - 0.125).abs() < 1e-12);
        let stepped = Domain::Float {
            low: 0.0,
            high: 1.0,
            log: false,
            step: Some(0.25),
        };
        assert_eq!(stepped.decode(0.55), 0.5);
        assert_eq!(stepped.levels(), Some(5));
    }

    #[test]
    fn rejects_bad_spaces_with_their_names() {
        let bad = |d: Domain| Space::new(vec![p("x", d)]).unwrap_err().to_string();
        assert_eq!(
            bad(Domain::Float {
                low: 2.0,
                high: 1.0,
                log: false,
                step: None
            }),
            "parameter \"x\": low must not exceed high, got low=2, high=1"
        );
        assert!(bad(Domain::Float {
            low: 0.0,
            high: 1.0,
            log: true,
            step: None
        })
        .contains("log scale needs low > 0, got low=0"));
        assert!(bad(Domain::Float {
            low: f64::NAN,
            high: 1.0,
            log: false,
            step: None
        })
        .contains("low=NaN"));
        assert!(bad(Domain::Int {
            low: 0,
            high: 10,
            log: false,
            step: 3
        })
        .contains("not a multiple of step = 3"));
        assert!(bad(Domain::Categorical { n_choices: 0 }).contains("at least one choice"));
        assert_eq!(Space::new(vec![]).unwrap_err(), SpaceError::Empty);
        let dup = Space::new(vec![
            p("a", Domain::Categorical { n_choices: 1 }),
            p("a", Domain::Categorical { n_choices: 2 }),
        ]);
        assert_eq!(dup.unwrap_err(), SpaceError::DuplicateName("a".into()));
    }

    #[test]
    fn a_fixed_parameter_low_equal_high_is_valid_and_always_decodes_to_its_value() {
        let fixed = [
            Domain::Float {
                low: 1.5,
                high: 1.5,
                log: false,
                step: None,
            },
            Domain::Float {
                low: 2.0,
                high: 2.0,
                log: true,
                step: None,
            },
            Domain::Float {
                low: 0.5,
                high: 0.5,
                log: false,
                step: Some(0.1),
            },
            Domain::Int {
                low: 3,
                high: 3,
                log: false,
                step: 1,
            },
            Domain::Int {
                low: 4,
                high: 4,
                log: true,
                step: 1,
            },
        ];
        for d in fixed {
            let s = Space::new(vec![p("x", d.clone())]).unwrap();
            let v = s.decode(&[0.0])[0];
            for u in [0.0, 0.3, 1.0, f64::NAN] {
                assert_eq!(s.decode(&[u]), vec![v], "{d:?} at {u}");
            }
            let e = s.encode(&[v])[0];
            assert!((0.0..=1.0).contains(&e), "{d:?} encodes to {e}");
            assert!(d.contains(v));
        }
    }

    #[test]
    fn checks_points() {
        let s = demo();
        assert!(s
            .check_point(&[1.0, 0.01, 2.5, 0.0])
            .unwrap_err()
            .to_string()
            .contains("\"degree\": 2.5 is outside its domain (integer in [2, 5])"));
        assert!(s.check_point(&[1.0, 0.01, 2.0, 2.0]).is_err());
        assert!(s.check_point(&[f64::NAN, 0.01, 2.0, 0.0]).is_err());
        assert_eq!(
            s.check_point(&[1.0]).unwrap_err(),
            SpaceError::WrongLength {
                expected: 4,
                got: 1
            }
        );
    }

    #[test]
    fn random_points_are_valid_seeded_and_spread() {
        let s = demo();
        let a = s.random_points(500, 7);
        assert_eq!(a, s.random_points(500, 7));
        assert_ne!(a, s.random_points(500, 8));
        for v in &a {
            s.check_point(v).unwrap();
        }
        // log-uniform C: about half the draws below the geometric middle 10^0.5
        let below = a.iter().filter(|v| v[0] < 10f64.powf(0.5)).count();
        assert!((200..300).contains(&below), "{below}");
        for level in 2..=5 {
            assert!(a.iter().filter(|v| v[2] == level as f64).count() > 80);
        }
    }

    #[test]
    fn projection_is_idempotent_and_decode_always_valid() {
        let s = demo();
        for i in 0..200 {
            let u: Vec<f64> = (0..4)
                .map(|k| ((i * 37 + k * 11) % 101) as f64 / 100.0)
                .collect();
            let v = s.decode(&u);
            s.check_point(&v).unwrap();
            let pr = s.project(&u);
            assert_eq!(s.project(&pr), pr);
            let f = s.from_unit(&u);
            s.check_point(&f).unwrap();
        }
    }
}
