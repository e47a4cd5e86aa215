//! Search spaces from JavaScript: `ParamSpec` objects → a validated core `Space`.

use napi::Result;
use napi_derive::napi;
use tunekit_core::space::{Domain, Param, Space};

use crate::error::{js, Code, ConvertError};

/// The type of a parameter (the core's `Domain` without its bounds).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Float,
    Int,
    Categorical,
}

/// One parameter of a search space, as the TypeScript layer normalises it.
#[napi(object)]
#[derive(Clone)]
pub struct ParamSpec {
    pub name: String,
    pub kind: ParamKind,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub log: Option<bool>,
    pub step: Option<f64>,
    pub n_choices: Option<u32>,
}

fn integer(name: &str, what: &str, v: f64) -> Result<i64> {
    if v.fract() != 0.0 || !v.is_finite() || v.abs() > 9_007_199_254_740_991.0 {
        return Err(js(ConvertError::Integer {
            what: format!("parameter {name:?}: {what}"),
            value: v,
            expected: "an integer",
            code: Code::InvalidSpace,
        }));
    }
    Ok(v as i64)
}

fn bound(p: &ParamSpec, what: &str, v: Option<f64>) -> Result<f64> {
    v.ok_or_else(|| {
        js(ConvertError::Missing {
            what: format!("parameter {:?}: {what}", p.name),
            code: Code::InvalidSpace,
        })
    })
}

impl TryFrom<&ParamSpec> for Param {
    type Error = napi::Error;

    fn try_from(p: &ParamSpec) -> Result<Param> {
        let log = p.log.unwrap_or(false);
        let domain = match p.kind {
            ParamKind::Float => Domain::Float {
                low: bound(p, "low", p.low)?,
                high: bound(p, "high", p.high)?,
                log,
                step: p.step,
            },
            ParamKind::Int => Domain::Int {
                low: integer(&p.name, "low", bound(p, "low", p.low)?)?,
                high: integer(&p.name, "high", bound(p, "high", p.high)?)?,
                log,
                step: integer(&p.name, "step", p.step.unwrap_or(1.0))?,
            },
            ParamKind::Categorical => Domain::Categorical {
                n_choices: p.n_choices.unwrap_or(0) as usize,
            },
        };
        Ok(Param {
            name: p.name.clone(),
            domain,
        })
    }
}

/// Converts and validates a whole space.
pub fn to_space(specs: &[ParamSpec]) -> Result<Space> {
    let params = specs
        .iter()
        .map(Param::try_from)
        .collect::<Result<Vec<_>>>()?;
    Space::new(params).map_err(js)
}

/// Validates a search space (throws `[INVALID_SPACE] …` naming the parameter).
#[napi(catch_unwind)]
pub fn validate_space(specs: Vec<ParamSpec>) -> Result<()> {
    to_space(&specs).map(|_| ())
}

/// `n` points drawn uniformly from the space (value form, row-major), seeded.
#[napi(catch_unwind)]
pub fn random_points(
    specs: Vec<ParamSpec>,
    n: u32,
    seed: u32,
) -> Result<napi::bindgen_prelude::Float64Array> {
    let space = to_space(&specs)?;
    Ok(napi::bindgen_prelude::Float64Array::new(
        space.random_points(n as usize, seed).concat(),
    ))
}

/// Points `start .. start + n` of the scrambled Sobol sequence for `seed`
/// (value form, row-major): the core's `Space::sobol_points`.
#[napi(catch_unwind)]
pub fn sobol_points(
    specs: Vec<ParamSpec>,
    start: u32,
    n: u32,
    seed: u32,
) -> Result<napi::bindgen_prelude::Float64Array> {
    let space = to_space(&specs)?;
    Ok(napi::bindgen_prelude::Float64Array::new(
        space
            .sobol_points(u64::from(start), n as usize, u64::from(seed))
            .concat(),
    ))
}
