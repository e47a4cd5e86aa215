//! Objectives' directions and evaluated individuals.

/// Whether an objective is to be minimised or maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Minimize,
    Maximize,
}

impl Direction {
    /// The value in minimisation form (negated when maximising).
    #[inline]
    pub fn to_min(self, v: f64) -> f64 {
        match self {
            Direction::Minimize => v,
            Direction::Maximize => -v,
        }
    }
}

/// An evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Individual {
    /// The point in value form (one `f64` per parameter: the float, the integer
    /// or the category index).
    pub point: Vec<f64>,
    /// One value per objective, in the objective's own direction. NaN means the
    /// evaluation failed: such individuals rank after every other one.
    pub values: Vec<f64>,
    /// Total constraint violation: 0 = feasible, larger = worse (Deb 2000).
    pub violation: f64,
}

impl Individual {
    /// A feasible individual.
    pub fn new(point: Vec<f64>, values: Vec<f64>) -> Self {
        Self {
            point,
            values,
            violation: 0.0,
        }
    }
}
