//! The map between a space's numeric parameters (value form) and the unit
//! cube CMA-ES searches: each parameter's [`Codec`] from `space.rs` (log
//! scales in log space; integers and stepped floats padded by half a step,
//! as Optuna's `_SearchSpaceTransform(transform_step=True, transform_0_1=True)`),
//! except, with margin, integer and stepped linear parameters, which map
//! `[low, high]` onto [0, 1] without padding so that their levels sit at
//! `k / (levels − 1)` (Optuna's `transform_step=False` for `CMAwM`).

use crate::space::{Codec, Domain, Space};

use super::CmaError;

/// How one coordinate maps to a parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dim {
    /// Through the space's own encoding.
    Scaled(Codec),
    /// A margin coordinate: level k of `levels` at `k / (levels − 1)`, value `low + k·step`.
    Grid {
        low: f64,
        step: f64,
        high: f64,
        levels: usize,
    },
}

/// The unit-cube layout of a space's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    dims: Vec<Dim>,
}

impl Layout {
    /// The layout of `space` (numeric parameters only); `margin` puts integer
    /// and stepped linear parameters with at least two levels on grids.
    pub fn new(space: &Space, margin: bool) -> Result<Self, CmaError> {
        let dims = space
            .params()
            .iter()
            .map(|p| {
                let grid = |low: f64, step: f64, high: f64| {
                    let levels = p.domain.levels().unwrap_or(1);
                    if margin && levels >= 2 {
                        Dim::Grid {
                            low,
                            step,
                            high,
                            levels,
                        }
                    } else {
                        Dim::Scaled(p.domain.codec())
                    }
                };
                match p.domain {
                    Domain::Categorical { .. } => Err(CmaError::Categorical {
                        name: p.name.clone(),
                    }),
                    Domain::Int {
                        low,
                        high,
                        log: false,
                        step,
                    } => Ok(grid(low as f64, step as f64, high as f64)),
                    Domain::Float {
                        low,
                        high,
                        log: false,
                        step: Some(s),
                    } => Ok(grid(low, s, high)),
                    _ => Ok(Dim::Scaled(p.domain.codec())),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { dims })
    }

    /// Dimensions.
    pub fn len(&self) -> usize {
        self.dims.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dims.is_empty()
    }

    /// The number of levels of coordinate `i` if it is a margin coordinate.
    pub fn levels(&self, i: usize) -> Option<usize> {
        match self.dims[i] {
            Dim::Grid { levels, .. } => Some(levels),
            Dim::Scaled(_) => None,
        }
    }

    /// Whether any coordinate is a margin coordinate.
    pub fn has_grid(&self) -> bool {
        (0..self.len()).any(|i| self.levels(i).is_some())
    }

    /// A point in value form as unit-cube coordinates.
    pub fn encode(&self, values: &[f64]) -> Vec<f64> {
        self.dims
            .iter()
            .zip(values)
            .map(|(d, &v)| match *d {
                Dim::Scaled(c) => c.encode(v),
                Dim::Grid { low, high, .. } => ((v - low) / (high - low)).clamp(0.0, 1.0),
            })
            .collect()
    }

    /// Unit-cube coordinates (margin coordinates already on their levels)
    /// as the nearest valid values.
    pub fn decode(&self, u: &[f64]) -> Vec<f64> {
        self.dims
            .iter()
            .zip(u)
            .map(|(d, &u)| match *d {
                Dim::Scaled(c) => c.decode(u),
                Dim::Grid {
                    low,
                    step,
                    high,
                    levels,
                } => {
                    let u = if u.is_finite() { u } else { 0.0 };
                    let k = (u * (levels - 1) as f64)
                        .round()
                        .clamp(0.0, (levels - 1) as f64);
                    (low + k * step).min(high)
                }
            })
            .collect()
    }
}
